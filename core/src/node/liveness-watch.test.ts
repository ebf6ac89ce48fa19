import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LivenessWatch } from './liveness-watch.ts';

const CHECK_MS = 1_000;
const DEAD_AFTER = 4;

function setup() {
  const source = { bytesRead: 0, bytesWritten: 0 };
  let paused = false;
  const deaths: string[] = [];
  const watch = new LivenessWatch({
    source,
    checkMs: CHECK_MS,
    deadAfter: DEAD_AFTER,
    isPaused: () => paused,
    onDead: (r) => deaths.push(r),
  });
  return {
    source,
    deaths,
    watch,
    pause: (p: boolean) => {
      paused = p;
    },
  };
}

describe('LivenessWatch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('declares an unanswered check dead after deadAfter samples, once, and stops sampling', async () => {
    const { source, deaths, watch } = setup();
    source.bytesWritten += 20; // the check query goes out and is never answered
    await vi.advanceTimersByTimeAsync(CHECK_MS * DEAD_AFTER + CHECK_MS / 2);
    expect(deaths).toEqual([]);
    expect(watch.unansweredChecks).toBe(DEAD_AFTER - 1);
    await vi.advanceTimersByTimeAsync(CHECK_MS);
    expect(deaths).toHaveLength(1);
    expect(deaths[0]).toMatch(/4 consecutive checks 1000 ms apart/);
    await vi.advanceTimersByTimeAsync(CHECK_MS * 10);
    expect(deaths).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a server slow to answer (under load) but answering within the threshold is never declared dead', async () => {
    const { source, deaths } = setup();
    for (let round = 0; round < 20; round++) {
      source.bytesWritten += 20;
      await vi.advanceTimersByTimeAsync(CHECK_MS * (DEAD_AFTER - 1) + CHECK_MS / 2); // answered just in time, every time
      source.bytesRead += 30;
      await vi.advanceTimersByTimeAsync(CHECK_MS);
    }
    expect(deaths).toEqual([]);
  });

  it('a blocked event loop is not evidence: one late tick counts as one check, not as the time that passed', async () => {
    const { source, deaths } = setup();
    source.bytesWritten += 20;
    vi.setSystemTime(Date.now() + 60_000); // the process was starved for a minute; no timer ran
    await vi.advanceTimersByTimeAsync(CHECK_MS);
    source.bytesRead += 30; // the answer was waiting in the socket
    await vi.advanceTimersByTimeAsync(CHECK_MS);
    expect(deaths).toEqual([]);
  });

  it('while paused for flow control it is never declared dead', async () => {
    const { source, deaths, pause } = setup();
    source.bytesWritten += 20;
    pause(true);
    await vi.advanceTimersByTimeAsync(CHECK_MS * DEAD_AFTER * 10);
    expect(deaths).toEqual([]);
    pause(false);
    source.bytesRead += 30;
    await vi.advanceTimersByTimeAsync(CHECK_MS * DEAD_AFTER * 10);
    expect(deaths).toEqual([]);
  });

  it('stop() clears its timers', async () => {
    const { source, deaths, watch } = setup();
    source.bytesWritten += 20;
    watch.stop();
    await vi.advanceTimersByTimeAsync(CHECK_MS * DEAD_AFTER * 10);
    expect(deaths).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
