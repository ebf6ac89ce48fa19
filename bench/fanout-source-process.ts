// The parent's handle on bench/fanout-notify-source.ts: the NOTIFY source in its own process.
import type { ChildProcess } from 'node:child_process';
import { child, stopChild } from './fanout-harness.ts';

export class NotifySourceProcess {
  private constructor(private readonly process: ChildProcess) {}

  static async start(databaseUrl: string, contract: string): Promise<NotifySourceProcess> {
    const p = child('bench/fanout-notify-source.ts', { DATABASE_URL: databaseUrl, FANOUT_CONTRACT: contract });
    await new Promise<void>((resolve, reject) => {
      p.once('message', () => resolve());
      p.once('exit', (code) => reject(new Error(`the NOTIFY source process exited ${code} before it was ready`)));
    });
    return new NotifySourceProcess(p);
  }

  get pid(): number {
    return this.process.pid as number;
  }

  /** pg_notify at `rate` per second for `seconds`; resolves with how many were sent. */
  run(rate: number, seconds: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`the NOTIFY source process exited ${code} during a run`));
      this.process.once('exit', onExit);
      this.process.once('message', (m: { sent: number }) => {
        this.process.off('exit', onExit);
        resolve(m.sent);
      });
      this.process.send({ type: 'run', rate, seconds });
    });
  }

  async stop(): Promise<void> {
    if (this.process.connected) this.process.send({ type: 'exit' });
    await stopChild(this.process);
  }
}
