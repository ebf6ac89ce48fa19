// Compares what the stack stored (and what each client rebuilt) with the clean result.
import type pg from 'pg';
import type { ChaosMarket } from './chaos-market.ts';
import { expectedState } from './expected-state.ts';
import { key, type ResilientClient } from './resilient-client.ts';

export interface Comparison {
  readonly barsCompared: number;
  readonly signalsCompared: number;
  readonly clientsCompared: number;
  /** Stored signals triggered by the bar open at the stream's end: outside the clean run, not compared. */
  readonly signalsAfterEnd: number;
  readonly differences: string[];
}

/** The chaos stream's timeframes are minutes (1m, 5m). */
const MINUTE_MS = 60_000;

export async function compareWithClean(
  pool: pg.Pool,
  market: ChaosMarket,
  clients: readonly ResilientClient[],
  end: number,
): Promise<Comparison> {
  const differences: string[] = [];
  const { rows } = await pool.query<{
    u: number;
    v: number;
    t: number;
    open: number;
    high: number;
    low: number;
    close: number;
    volume: number;
  }>(
    `SELECT timeframe_unit AS u, timeframe_value AS v, (extract(epoch FROM "timestamp") * 1000)::float8 AS t, open, high, low, close, volume
       FROM ohlc_bars WHERE contract_id = $1 AND is_closed AND "timestamp" < to_timestamp($2::float8 / 1000)`,
    [market.contract.id, end],
  );
  const first = Math.min(...rows.filter((r) => r.v === 1).map((r) => r.t));
  const expected = expectedState(market, first, end);
  const stored = new Map(rows.map((r) => [key(r.u, r.v, r.t), r]));
  let barsCompared = 0;
  for (const [k, e] of expected.bars) {
    if (e.time < first) continue;
    barsCompared++;
    const s = stored.get(k);
    if (!s) differences.push(`missing bar ${k}`);
    else if (s.open !== e.open || s.high !== e.high || s.low !== e.low || s.close !== e.close || s.volume !== e.volume) {
      differences.push(
        `bar ${k}: stored ${[s.open, s.high, s.low, s.close, s.volume].join(',')} expected ${[e.open, e.high, e.low, e.close, e.volume].join(',')}`,
      );
    }
  }
  // A bar still open at `end` is outside the clean run; the ingester's clock may close it (with the
  // trades up to `end`) before the comparison or not, so it is neither expected nor unexpected.
  for (const [k, s] of stored) {
    if (!expected.bars.has(k) && s.t >= first && s.t + s.v * MINUTE_MS <= end) differences.push(`unexpected bar ${k}`);
  }

  // Likewise a signal triggered by that bar: the clean run ends with the last complete minute.
  const signals = await pool.query<{ a: string; t: Date; ty: string; rule: string; trigger: number }>(
    `SELECT analyzer_id AS a, "timestamp" AS t, signal_type AS ty, details->>'rule' AS rule,
            (extract(epoch FROM COALESCE((details->>'trigger_time')::timestamptz, "timestamp")) * 1000)::float8 AS trigger
       FROM detected_signals WHERE contract_id = $1`,
    [market.contract.id],
  );
  const inRun = signals.rows.filter((r) => r.trigger + MINUTE_MS <= end);
  const storedSignals = inRun.map((r) => `${r.a}|${r.t.toISOString()}|${r.ty}|${r.rule}`);
  if (new Set(storedSignals).size !== storedSignals.length) differences.push('duplicate signals stored');
  for (const s of expected.signals) if (!storedSignals.includes(s)) differences.push(`missing signal ${s}`);
  inRun.forEach((r, i) => {
    const s = storedSignals[i] as string;
    if (!expected.signals.has(s))
      differences.push(
        `unexpected signal ${s} (triggered by the bar of ${new Date(r.trigger).toISOString()}; stream end ${new Date(end).toISOString()})`,
      );
  });

  clients.forEach((client, i) => {
    for (const [k, e] of expected.bars) {
      if (e.time < first) continue;
      const c = client.bars.get(k);
      if (!c || !c.closed || c.open !== e.open || c.high !== e.high || c.low !== e.low || c.close !== e.close || c.volume !== e.volume) {
        differences.push(`client ${i} bar ${k}: ${c ? JSON.stringify(c) : 'missing'}`);
      }
    }
  });
  return {
    barsCompared,
    signalsCompared: expected.signals.size,
    clientsCompared: clients.length,
    signalsAfterEnd: signals.rows.length - inRun.length,
    differences,
  };
}
