import { describe, expect, it } from 'vitest';
import { FailureStreak } from './failure-streak.ts';

describe('FailureStreak', () => {
  it('gives up on the third identical failure in a row, with the reason', () => {
    const streak = new FailureStreak(3);
    const failure = { code: 1, signal: null, lastLine: 'ingester: failed to start: port 9101 taken' };
    expect(streak.record(failure)).toBeUndefined();
    expect(streak.record(failure)).toBeUndefined();
    expect(streak.record(failure)).toBe('failed 3 times in a row the same way (exit code 1: ingester: failed to start: port 9101 taken)');
  });

  it('counts failures that differ only in digits (times, PIDs) as the same', () => {
    const streak = new FailureStreak(3);
    streak.record({ code: 1, signal: null, lastLine: '12:00:01.100 ERROR connect ECONNREFUSED 127.0.0.1:5432 (pid 10)' });
    streak.record({ code: 1, signal: null, lastLine: '12:00:02.900 ERROR connect ECONNREFUSED 127.0.0.1:5432 (pid 11)' });
    expect(streak.record({ code: 1, signal: null, lastLine: '12:00:05.000 ERROR connect ECONNREFUSED 127.0.0.1:5432 (pid 12)' })).toMatch(
      /^failed 3 times/,
    );
  });

  it('starts over when a failure differs, or when the process was killed from outside', () => {
    const streak = new FailureStreak(3);
    const a = { code: 1, signal: null, lastLine: 'a' };
    streak.record(a);
    streak.record(a);
    expect(streak.record({ code: 2, signal: null, lastLine: 'a' })).toBeUndefined();
    streak.record(a);
    streak.record(a);
    expect(streak.record({ code: null, signal: 'SIGKILL', lastLine: '' })).toBeUndefined();
    expect(streak.record(a)).toBeUndefined();
    expect(streak.record(a)).toBeUndefined();
    expect(streak.record(a)).toMatch(/^failed 3 times/);
  });

  it('counts a crash by signal from inside (abort) like an exit code', () => {
    const streak = new FailureStreak(2);
    const abort = { code: null, signal: 'SIGABRT', lastLine: 'FATAL ERROR: JavaScript heap out of memory' };
    streak.record(abort);
    expect(streak.record(abort)).toBe(
      'failed 2 times in a row the same way (killed by SIGABRT: FATAL ERROR: JavaScript heap out of memory)',
    );
  });

  it('reset() ends the streak (a run that lasted)', () => {
    const streak = new FailureStreak(2);
    const a = { code: 1, signal: null, lastLine: 'a' };
    streak.record(a);
    streak.reset();
    expect(streak.record(a)).toBeUndefined();
  });
});
