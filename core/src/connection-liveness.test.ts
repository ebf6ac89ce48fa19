import { describe, expect, it } from 'vitest';
import { initialLiveness, type LivenessState, type LivenessVerdict, nextLiveness, type TrafficSample } from './connection-liveness.ts';

const DEAD_AFTER = 3;

/** Feeds samples in order; returns each verdict. Counters accumulate: `r`/`w` are bytes since the last sample. */
function run(steps: ReadonlyArray<{ r?: number; w?: number; paused?: boolean }>): LivenessVerdict[] {
  let state: LivenessState = initialLiveness({ bytesRead: 100, bytesWritten: 50 });
  let read = 100;
  let written = 50;
  return steps.map((s) => {
    read += s.r ?? 0;
    written += s.w ?? 0;
    const sample: TrafficSample = { bytesRead: read, bytesWritten: written, paused: s.paused ?? false };
    const next = nextLiveness(state, sample, DEAD_AFTER);
    state = next.state;
    return next.verdict;
  });
}

describe('nextLiveness', () => {
  it('an idle connection with nothing owed stays alive however long', () => {
    expect(run(Array.from({ length: 20 }, () => ({})))).not.toContain('dead');
  });

  it('a check that is never answered is dead after deadAfter samples, not counting the one it was written in', () => {
    expect(run([{ w: 10 }, {}, {}, {}])).toEqual(['waiting', 'waiting', 'waiting', 'dead']);
  });

  it('a late answer within the threshold keeps it alive and resets the count (a busy server is not a dead one)', () => {
    const verdicts = run([{ w: 10 }, {}, {}, { r: 20 }, { w: 10 }, {}, {}, { r: 20 }]);
    expect(verdicts).not.toContain('dead');
    expect(verdicts[3]).toBe('alive');
  });

  it('any traffic counts: notifications arriving while a check is owed keep it alive', () => {
    const verdicts = run([{ w: 10 }, { r: 500 }, { r: 500 }, { r: 500 }, { r: 500 }, { r: 500 }]);
    expect(verdicts).toEqual(['waiting', 'alive', 'alive', 'alive', 'alive', 'alive']);
  });

  it('checks piling up behind a stalled server still end in dead', () => {
    expect(run([{ w: 10 }, { w: 10 }, { w: 10 }, { w: 10 }])).toEqual(['waiting', 'waiting', 'waiting', 'dead']);
  });

  it('a check written in the same interval as an answer is owed from the next sample on', () => {
    expect(run([{ r: 20, w: 10 }, {}, {}, {}])).toEqual(['alive', 'waiting', 'waiting', 'dead']);
  });

  it('while reading is paused (flow control) unread answers prove nothing: never dead, count restarts on resume', () => {
    const paused = Array.from({ length: 10 }, () => ({ paused: true }));
    const verdicts = run([{ w: 10 }, {}, ...paused, {}, {}, {}]);
    expect(verdicts.slice(0, 12)).not.toContain('dead');
    // Resumed and still nothing read: the owed answer counts again from zero.
    expect(verdicts.slice(12)).toEqual(['waiting', 'waiting', 'dead']);
  });

  it('an answer read after resuming is alive', () => {
    expect(run([{ w: 10 }, { paused: true }, { paused: true }, { r: 20 }])).toEqual(['waiting', 'waiting', 'waiting', 'alive']);
  });
});
