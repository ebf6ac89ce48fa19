// The stream sets "now": the quiet-stream rule, monotonicity and the skew measurement.
import { describe, expect, it } from 'vitest';
import { MarketClock } from './market-clock.ts';

const PAST = Date.UTC(2020, 0, 6, 15, 0);

function wallAt(start: number): { wall: () => number; advance: (ms: number) => void } {
  let now = start;
  return {
    wall: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('MarketClock', () => {
  it('is wall time until the first trade, then the stream’s time however far from the wall', () => {
    const w = wallAt(Date.UTC(2026, 0, 1));
    const clock = new MarketClock({ wall: w.wall });
    expect(clock.started).toBe(false);
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1));
    clock.observe(PAST);
    expect(clock.started).toBe(true);
    expect(clock.now()).toBe(PAST);
    expect(clock.skewMs()).toBe(PAST - Date.UTC(2026, 0, 1));
  });

  it('advances by wall time elapsed since the newest trade while the stream is quiet (rate 1)', () => {
    const w = wallAt(1_000_000);
    const clock = new MarketClock({ wall: w.wall });
    clock.observe(PAST);
    w.advance(61_500);
    expect(clock.now()).toBe(PAST + 61_500);
  });

  it('follows a stream running faster than the wall clock and never moves backwards', () => {
    const w = wallAt(1_000_000);
    const clock = new MarketClock({ wall: w.wall });
    clock.observe(PAST);
    w.advance(100);
    clock.observe(PAST + 60_000); // 600×
    expect(clock.now()).toBe(PAST + 60_000);
    clock.observe(PAST + 10); // an older trade: the clock stays
    expect(clock.now()).toBe(PAST + 60_000);
    w.advance(5);
    expect(clock.now()).toBe(PAST + 60_005);
  });

  it('stands still between trades at rate 0 (replays) and jumps to the end when the stream finishes', () => {
    const w = wallAt(0);
    const clock = new MarketClock({ rate: 0, wall: w.wall });
    clock.observe(PAST);
    w.advance(3_600_000);
    expect(clock.now()).toBe(PAST);
    clock.finish();
    expect(clock.now()).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('resumes at a stopped stream’s time instead of the wall clock, never moving backwards', () => {
    const w = wallAt(Date.UTC(2026, 0, 1));
    const clock = new MarketClock({ rate: 0, wall: w.wall });
    clock.resumeAt(PAST);
    w.advance(3_600_000);
    expect(clock.now()).toBe(PAST);
    expect(clock.skewMs()).toBeUndefined();
    clock.resumeAt(PAST - 60_000);
    expect(clock.now()).toBe(PAST);
    clock.observe(PAST + 1_000);
    expect(clock.now()).toBe(PAST + 1_000);
  });

  it('reads the wall once while held (a batch of trades), and again after release', () => {
    const w = wallAt(1_000_000);
    let reads = 0;
    const clock = new MarketClock({
      wall: () => {
        reads++;
        return w.wall();
      },
    });
    clock.holdWall();
    clock.observe(1_000_000);
    w.advance(500);
    clock.observe(999_000);
    expect(clock.now()).toBe(1_000_000);
    expect(reads).toBe(1);
    clock.releaseWall();
    expect(clock.now()).toBe(1_000_500);
    expect(reads).toBe(2);
  });
});
