// Relays NOTIFYs to clients in bounded event-loop turns. Within a turn's budget a message goes out
// at once; past it, messages wait here for the next turn (after the flush), and reading from
// PostgreSQL pauses while many wait — a backlog stays in PostgreSQL's queue, not in this process.
// Without the budget one poll phase can read megabytes of NOTIFYs (pg parses a 64 KB chunk at a
// time, libuv reads up to 32 of them) and append seconds of messages to every client before the
// first byte leaves: unbounded latency and memory, and slow clients that look current.
import type { Route } from './subscriptions.ts';

export interface TurnLimits {
  /** Deliveries in one turn: the time spent appending before the flush. */
  readonly deliveries: number;
  /** NOTIFY payload bytes relayed in one turn: what any one client may receive in it. */
  readonly payloadBytes: number;
  /** Messages waiting at which reading from PostgreSQL pauses (it resumes at half). */
  readonly maxQueued: number;
}

export const DEFAULT_TURN_LIMITS: TurnLimits = {
  // ~10 ms of appends at ~0.4 µs each: 20 messages to 1,000 clients.
  deliveries: 20_000,
  payloadBytes: 256 * 1024,
  maxQueued: 2_000,
};

export interface FlowControl {
  pause(): void;
  resume(): void;
}

/** Writes one message to its clients; returns how many it was written to. */
export type Send = (route: Route, raw: string, receivedAt: number) => number;

interface Pending {
  readonly route: Route;
  readonly raw: string;
  readonly receivedAt: number;
}

export class RelayQueue {
  private pending: Array<Pending | undefined> = [];
  private head = 0;
  private deliveries = 0;
  private payloadBytes = 0;
  private paused = false;
  private drainScheduled = false;
  private readonly drain = (): void => {
    this.drainScheduled = false;
    while (this.head < this.pending.length && this.withinBudget()) {
      const next = this.pending[this.head] as Pending;
      this.pending[this.head++] = undefined;
      this.spend(next.raw, this.send(next.route, next.raw, next.receivedAt));
    }
    // What is left waits for the next turn's budget: newTurn() schedules the drain after the flush.
    if (this.head === this.pending.length) {
      this.pending = [];
      this.head = 0;
    }
    if (this.paused && this.queued <= this.limits.maxQueued / 2) {
      this.paused = false;
      this.flow.resume();
    }
  };

  constructor(
    private readonly send: Send,
    private readonly flow: FlowControl,
    private readonly limits: TurnLimits = DEFAULT_TURN_LIMITS,
  ) {}

  get queued(): number {
    return this.pending.length - this.head;
  }

  relay(route: Route, raw: string, receivedAt: number): void {
    if (this.queued === 0 && this.withinBudget()) {
      this.spend(raw, this.send(route, raw, receivedAt));
      return;
    }
    this.pending.push({ route, raw, receivedAt });
    // Past the budget a flush is pending (only writes spend it), and its newTurn() drains: polling
    // here would spin until a flush that waits for its interval (WriteBatch).
    if (this.withinBudget()) this.scheduleDrain();
    if (!this.paused && this.queued >= this.limits.maxQueued) {
      this.paused = true;
      this.flow.pause();
    }
  }

  /** Call after each flush of the turn's writes: the next turn has a fresh budget, and what waits
   * is drained with it. */
  newTurn(): void {
    this.deliveries = 0;
    this.payloadBytes = 0;
    if (this.queued > 0) this.scheduleDrain();
  }

  private withinBudget(): boolean {
    return this.deliveries < this.limits.deliveries && this.payloadBytes < this.limits.payloadBytes;
  }

  /** Only writes count: a message no client wanted leaves nothing to flush. */
  private spend(raw: string, deliveries: number): void {
    if (deliveries === 0) return;
    this.deliveries += deliveries;
    this.payloadBytes += raw.length;
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(this.drain);
  }
}
