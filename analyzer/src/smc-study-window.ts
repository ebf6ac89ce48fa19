// Where an SMC study instance's window starts: resolved once from the config (from: a date, or
// last: N stored bars) and kept in smc_study_state, so restarts recompute over the same bars.
import type { Pool } from '@barstream/core/node';
import { type SmcInstance, windowSpec } from './smc-instances.ts';

interface StateRecord {
  window_spec: string;
  first_bar_time: number | null;
}

const READ_STATE = `SELECT window_spec, (extract(epoch FROM first_bar_time) * 1000)::float8 AS first_bar_time
  FROM smc_study_state WHERE study_id = $1 AND contract_id = $2 AND timeframe = $3`;

const BARS = `FROM ohlc_bars WHERE contract_id = $1 AND timeframe_unit = $2 AND timeframe_value = $3 AND is_closed`;
const NTH_LAST = `SELECT (extract(epoch FROM "timestamp") * 1000)::float8 AS t ${BARS} ORDER BY "timestamp" DESC OFFSET $4 LIMIT 1`;
const FIRST = `SELECT (extract(epoch FROM "timestamp") * 1000)::float8 AS t ${BARS} ORDER BY "timestamp" LIMIT 1`;

/**
 * The window's first bar (inclusive time bound), or undefined while `last: N` has no stored bar to
 * count from. A persisted first bar is kept as long as the configured window is unchanged.
 */
export async function resolveFirstBar(pool: Pool, instance: SmcInstance): Promise<number | undefined> {
  const key = [instance.studyId, instance.contractId, instance.timeframeLabel];
  const state = (await pool.query<StateRecord>(READ_STATE, key)).rows[0];
  if (state && state.window_spec === windowSpec(instance) && state.first_bar_time !== null) return state.first_bar_time;
  if ('from' in instance.window) return instance.window.from;
  const series = [instance.contractId, instance.timeframe.unit, instance.timeframe.value];
  const nth = await pool.query<{ t: number }>(NTH_LAST, [...series, instance.window.last - 1]);
  if (nth.rows[0]) return nth.rows[0].t;
  // Fewer than N bars stored: the window starts at the first one (and stays there).
  return (await pool.query<{ t: number }>(FIRST, series)).rows[0]?.t;
}
