// The identities of the events the engine took recently: a notification about one of them arrived
// after the step that read it from the table (not late data), so it needs no evaluation again.
import type { EngineEvent } from '@barstream/core';

/** Identity of a bar (series, open time and values: a corrected bar is another event) or a signal
 * (analyzer, series, bar time, type). */
export function eventId(e: EngineEvent): string {
  return e.kind === 'bar'
    ? `b|${e.contractId}|${e.timeframe}|${e.bar.time}|${e.bar.open}|${e.bar.high}|${e.bar.low}|${e.bar.close}|${e.bar.volume}`
    : signalId(e);
}

/** A signal's identity (what signal_withdrawals records of it). */
export function signalId(s: { analyzerId: string; contractId: string; timeframe: string; barTime: number; type: string }): string {
  return `s|${s.analyzerId}|${s.contractId}|${s.timeframe}|${s.barTime}|${s.type}`;
}

/** Notifications lag their commit by far fewer events than this. */
const CAPACITY = 50_000;

export class FedEvents {
  private readonly ids = new Set<string>();

  add(events: readonly EngineEvent[]): void {
    for (const e of events) this.ids.add(eventId(e));
    if (this.ids.size <= CAPACITY) return;
    // A Set iterates in insertion order: drop the oldest.
    let excess = this.ids.size - CAPACITY;
    for (const id of this.ids) {
      if (excess-- <= 0) break;
      this.ids.delete(id);
    }
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** A withdrawn signal: when the analyzer stores it again, that is new data to evaluate. */
  forget(id: string): void {
    this.ids.delete(id);
  }

  clear(): void {
    this.ids.clear();
  }
}
