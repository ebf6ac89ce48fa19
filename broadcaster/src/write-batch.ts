// Writes to one client within one event-loop turn leave as one syscall: the first write corks the
// client's socket, and one setImmediate uncorks every corked socket after the turn's I/O. When
// NOTIFYs arrive faster than they are sent, the ones read in one chunk share each client's write —
// the cost per message falls as the load rises; when idle, nothing waits (same loop iteration).
import type { Duplex } from 'node:stream';

export class WriteBatch {
  private readonly corked: Duplex[] = [];
  private scheduled = false;
  private turnNumber = 0;
  private readonly flush = (): void => {
    this.scheduled = false;
    this.turnNumber++;
    const corked = this.corked;
    for (let i = 0; i < corked.length; i++) (corked[i] as Duplex).uncork();
    corked.length = 0;
    this.afterFlush?.();
  };

  /** `afterFlush` runs once the turn's writes have been handed to the sockets. */
  constructor(private readonly afterFlush?: () => void) {}

  /** Changes at each flush: a socket held in the current turn needs no second hold. */
  get turn(): number {
    return this.turnNumber;
  }

  /** Corks `socket` until the end of this turn; call at most once per socket per turn. */
  hold(socket: Duplex): void {
    socket.cork();
    this.corked.push(socket);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }
}
