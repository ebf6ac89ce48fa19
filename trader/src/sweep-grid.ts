// A sweep's parameter grid from the command line: `fast=10..30:5 slow=40..80:10` (from..to:step, inclusive)
// or `fast=10,20,30`; every combination, in a stable order.
import { TradingError } from '@barstream/core/trading';

export type SweepGrid = Record<string, number[]>;
export type SweepParams = Record<string, number>;

/** At most this many combinations: a typo in a step should not start a million backtests. */
export const MAX_COMBINATIONS = 10_000;

export function parseSweepGrid(specs: readonly string[]): SweepGrid {
  const grid: SweepGrid = {};
  for (const spec of specs) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(spec);
    if (!m) throw new TradingError('invalid_sweep', `--sweep ${spec}: expected name=from..to:step or name=a,b,c`);
    const [, name, body] = m as unknown as [string, string, string];
    const range = /^(-?[\d.]+)\.\.(-?[\d.]+)(?::([\d.]+))?$/.exec(body);
    let values: number[];
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      const step = Number(range[3] ?? 1);
      if (!(step > 0) || !(to >= from)) throw new TradingError('invalid_sweep', `--sweep ${spec}: needs from ≤ to and a step above 0`);
      values = [];
      for (let i = 0; from + i * step <= to + 1e-9; i++) values.push(Number((from + i * step).toFixed(10)));
    } else {
      values = body.split(',').map(Number);
    }
    if (values.length === 0 || !values.every(Number.isFinite)) throw new TradingError('invalid_sweep', `--sweep ${spec}: not numbers`);
    grid[name] = values;
  }
  if (Object.keys(grid).length === 0) throw new TradingError('invalid_sweep', '--sweep: give at least one name=from..to:step');
  if (combinations(grid).length > MAX_COMBINATIONS)
    throw new TradingError('invalid_sweep', `--sweep: more than ${MAX_COMBINATIONS} combinations`);
  return grid;
}

export function combinations(grid: SweepGrid): SweepParams[] {
  let out: SweepParams[] = [{}];
  for (const [name, values] of Object.entries(grid)) {
    out = out.flatMap((p) => values.map((v) => ({ ...p, [name]: v })));
  }
  return out;
}
