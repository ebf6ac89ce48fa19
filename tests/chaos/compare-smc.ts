// After the chaos run: the SMC study's stored rows equal the batch answer over the stored closed bars
// of its window (the bars themselves are compared with the clean run in compare-state.ts), with the
// progress row at the last bar. Primary keys make a duplicate row impossible; a missing, extra or
// stale row is a difference.
import type pg from 'pg';
import { parseTimeframe, smcParams } from '../../core/src/index.ts';
import type { SmcInstance } from '../../analyzer/src/smc-instances.ts';
import { readStoredSmcRows } from '../../analyzer/src/smc-stored-rows.ts';
import { batchTableRows, rowDifferences } from '../support/smc-batch-rows.ts';

/** The SMC study the chaos run configures (analyzer.smc). */
export function chaosSmcStudy(contractId: string) {
  return {
    study_id: 'chaos',
    contract_id: contractId,
    timeframes: ['1m'],
    params: { swing_length: 3 },
    // Every stored bar: the ingester's backfill lands before the live frontier (bars_imported → recompute).
    from: '2000-01-01T00:00:00Z',
  };
}

export async function compareSmc(pool: pg.Pool, contractId: string): Promise<{ smcRowsCompared: number; differences: string[] }> {
  const study = chaosSmcStudy(contractId);
  const instance: SmcInstance = {
    studyId: study.study_id,
    contractId,
    timeframe: parseTimeframe('1m'),
    timeframeLabel: '1m',
    params: smcParams(study.params),
    window: { from: Date.parse(study.from) },
    key: `chaos|${contractId}|1m`,
  };
  const { rows: bars } = await pool.query<{ time: number; open: number; high: number; low: number; close: number; volume: number }>(
    `SELECT (extract(epoch FROM "timestamp") * 1000)::float8 AS time, open, high, low, close, volume FROM ohlc_bars
      WHERE contract_id = $1 AND timeframe_unit = 2 AND timeframe_value = 1 AND is_closed AND "timestamp" >= $2 ORDER BY "timestamp"`,
    [contractId, study.from],
  );
  const want = batchTableRows(bars, instance.params);
  const differences = rowDifferences(await readStoredSmcRows(pool, instance), want, 20).map((d) => `smc ${d}`);
  const { rows: state } = await pool.query<{ through: number | null }>(
    `SELECT (extract(epoch FROM through) * 1000)::float8 AS through FROM smc_study_state WHERE study_id = 'chaos' AND contract_id = $1`,
    [contractId],
  );
  const last = bars.at(-1)?.time ?? null;
  if (state.length !== 1 || state[0]!.through !== last) differences.push(`smc progress ${JSON.stringify(state)}, last stored bar ${last}`);
  if (want.size === 0) differences.push('smc: the batch answer has no rows (the run was too short to test anything)');
  return { smcRowsCompared: want.size, differences };
}
