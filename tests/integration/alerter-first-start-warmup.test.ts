// The alerter's first start on a fresh database finds nothing stored and starts from now; the ingester's
// backfill lands a moment later, behind that start. That history must warm the rules' indicators (it
// raises no alert itself), so the first live bar is judged against it: a volume spike over SMA(volume, 20)
// needs 20 bars that the live feed alone would take 20 minutes to bring.
import { describe, expect, it } from 'vitest';
import type { OhlcBar } from '../../core/src/index.ts';
import { writeHistoryBars } from '../../ingester/src/history-store.ts';
import { alerterSettings, CONTRACT, rulesRoot, writeBar } from '../support/alerter-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { useAlerter } from '../support/use-alerter.ts';

const MINUTE = 60_000;
const ground = useAlerter();

const RULES = `
- { name: volume, rule_type: volume_spike, multiple: 2, period: 20, contracts: [SIM.MES], timeframes: [1m] }
`;

const bar = (time: number, volume: number): OhlcBar => ({ time, open: 100, high: 100.5, low: 99.5, close: 100, volume });

async function alerterWatermark(): Promise<number | undefined> {
  const { rows } = await ground.pool.query<{ t: number }>(
    `SELECT (extract(epoch FROM last_processed_timestamp) * 1000)::float8 AS t FROM analyzer_watermarks
      WHERE analyzer_id = 'alerter' AND timeframe = '*'`,
  );
  return rows[0]?.t;
}

describe('alerter: first start on a fresh database', () => {
  it('warms its indicators on the backfill that lands behind its start, and alerts on the first live spike', async () => {
    const startedAt = Date.now();
    const alerter = await ground.start(rulesRoot({ 'v.yaml': RULES }), alerterSettings(), false);
    const firstStart = await alerterWatermark();
    expect(firstStart).toBeGreaterThanOrEqual(startedAt);

    // The backfill: 25 closed minutes ending by the start, flat volume (no spike among them).
    const lastBackfilled = Math.floor(startedAt / MINUTE) * MINUTE - MINUTE;
    const history = Array.from({ length: 25 }, (_, i) => bar(lastBackfilled - (24 - i) * MINUTE, 100));
    await writeHistoryBars(
      ground.pool,
      history.map((b) => ({ ...b, contractId: CONTRACT, unit: 2, value: 1, isClosed: true })),
    );
    // The first live bar after the start: three times the backfill's volume.
    const live = bar(Math.floor(Date.now() / MINUTE) * MINUTE + MINUTE, 300);
    await writeBar(ground.pool, live);
    await eventually(async () => ((await alerterWatermark()) ?? 0) >= live.time + MINUTE);
    await alerter.evaluator.idle();

    const { rows } = await ground.pool.query<{ rule_name: string; bar: Date }>(
      'SELECT rule_name, bar_time AS bar FROM alerts ORDER BY bar_time',
    );
    expect(rows.map((r) => [r.rule_name, r.bar.getTime()])).toEqual([['volume', live.time]]);
  });
});
