import { describe, expect, it } from 'vitest';
import { evaluationHorizon, IDLE_GRACE_MS } from './evaluation-horizon.ts';

const M = 60_000;
const series = (lastOpen: number | undefined, lengthMs = M, targetMarks: number[] = []) => ({
  lastClose: lastOpen === undefined ? undefined : lastOpen + lengthMs,
  nextClose: lastOpen === undefined ? undefined : lastOpen + 2 * lengthMs,
  lengthMs,
  targetNextCloses: targetMarks.map((m) => m + 2 * lengthMs),
});

describe('evaluationHorizon', () => {
  it('is the earliest next close over the series and their analyzer targets', () => {
    expect(evaluationHorizon([series(10 * M), series(9 * M), series(M, 5 * M)])).toEqual({ horizon: 11 * M, idle: [] });
    expect(evaluationHorizon([series(10 * M, M, [8 * M])]).horizon).toBe(10 * M);
    expect(evaluationHorizon([series(undefined), series(undefined)]).horizon).toBeUndefined();
    // A series with nothing stored does not hold it back.
    expect(evaluationHorizon([series(undefined), series(3 * M)]).horizon).toBe(5 * M);
  });

  it('leaves out a series with no bar for longer than its timeframe + grace while another moved on', () => {
    const quiet = 10 * M;
    // B's last bar closed exactly timeframe + grace before A's: still waited for.
    const atLimit = quiet + M + IDLE_GRACE_MS;
    expect(evaluationHorizon([series(atLimit), series(quiet)])).toEqual({ horizon: quiet + 2 * M, idle: [] });
    // One millisecond more: B is idle, A alone sets the horizon (B's targets go with it).
    expect(evaluationHorizon([series(atLimit + 1), series(quiet, M, [quiet])])).toEqual({ horizon: atLimit + 1 + 2 * M, idle: [1] });
    // A 5m series is not idle while a 1m one runs up to 5 minutes + grace ahead.
    expect(evaluationHorizon([series(20 * M), series(15 * M, 5 * M)]).idle).toEqual([]);
  });
});
