// Where a replay resumes: per contract, the time of its last stored tick and how many ticks share that
// time. A replay is time-ordered and stored in order, so what is stored is a prefix of the file: the
// trades before the tail's time, then the first `count` at it (ticks carry no unique key to match).
import type { Trade } from '@barstream/core';

export interface StoredTail {
  /** Epoch ms of the contract's last stored tick (fractional for microseconds). */
  readonly time: number;
  /** Stored ticks at exactly that time. */
  readonly count: number;
}

/** The trades not stored yet: per contract, those after its stored tail. */
export function afterStored(trades: readonly Trade[], tails: ReadonlyMap<string, StoredTail>): Trade[] {
  if (tails.size === 0) return [...trades];
  const tiesLeft = new Map([...tails].map(([id, t]) => [id, t.count]));
  return trades.filter((trade) => {
    const tail = tails.get(trade.contractId);
    if (!tail || trade.time > tail.time) return true;
    if (trade.time < tail.time) return false;
    const left = tiesLeft.get(trade.contractId) ?? 0;
    tiesLeft.set(trade.contractId, left - 1);
    return left <= 0;
  });
}
