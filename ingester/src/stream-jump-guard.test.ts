// A trade far ahead of the stream is held until the next one: followed, it is kept; contradicted, rejected.
import { describe, expect, it } from 'vitest';
import type { Trade } from '@barstream/core';
import { MarketClock } from './market-clock.ts';
import { StreamJumpGuard } from './stream-jump-guard.ts';

const WALL = Date.UTC(2026, 0, 5, 15, 0);
const MAX = 300_000;
const trade = (time: number): Trade => ({ contractId: 'X', time, price: 1, volume: 1, side: 'buy' });

function harness() {
  let wall = WALL;
  const clock = new MarketClock({ wall: () => wall });
  const guard = new StreamJumpGuard(clock, MAX);
  const accepted: number[] = [];
  const rejected: number[] = [];
  const accept = (t: Trade): void => {
    clock.observe(t.time);
    accepted.push(t.time);
  };
  return {
    clock,
    guard,
    accepted,
    rejected,
    advance: (ms: number) => {
      wall += ms;
    },
    admit: (...times: number[]) => {
      for (const t of times) guard.admit(trade(t), accept, (r) => rejected.push(r.time));
    },
    release: (force = false) => guard.release(accept, force),
  };
}

describe('StreamJumpGuard', () => {
  it('passes trades near the stream clock at once', () => {
    const h = harness();
    h.admit(WALL, WALL + 1_000, WALL + 2_000);
    expect(h.accepted).toEqual([WALL, WALL + 1_000, WALL + 2_000]);
  });

  it('follows a stream far from the wall clock once its second trade confirms it: nothing is dropped', () => {
    const h = harness();
    const past = Date.UTC(2020, 0, 6);
    h.admit(past, past + 100, past + 200);
    expect(h.accepted).toEqual([past, past + 100, past + 200]);
    expect(h.rejected).toEqual([]);
  });

  it('rejects a lone stray that the next trade contradicts, without moving the clock', () => {
    const h = harness();
    h.admit(WALL, WALL + 365 * 86_400_000, WALL + 1_000);
    expect(h.accepted).toEqual([WALL, WALL + 1_000]);
    expect(h.rejected).toEqual([WALL + 365 * 86_400_000]);
    expect(h.clock.now()).toBe(WALL + 1_000);
  });

  it('keeps a real jump (a weekend in a replay) when the stream follows it', () => {
    const h = harness();
    const monday = WALL + 2 * 86_400_000;
    h.admit(WALL, monday, monday + 50);
    expect(h.accepted).toEqual([WALL, monday, monday + 50]);
  });

  it('releases a held trade when the clock catches up, or when the stream ends', () => {
    const h = harness();
    h.admit(WALL, WALL + 400_000);
    expect(h.guard.holding).toBe(true);
    h.release();
    expect(h.accepted).toEqual([WALL]);
    h.advance(150_000);
    h.release();
    expect(h.accepted).toEqual([WALL, WALL + 400_000]);
    h.admit(WALL + 86_400_000);
    h.release(true);
    expect(h.accepted).toEqual([WALL, WALL + 400_000, WALL + 86_400_000]);
  });
});
