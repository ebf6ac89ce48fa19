// Signals computed live (NOTIFY, in-memory state, a restart with bars missed while down) equal the
// batch computation over the whole series, with no duplicate rows or notifications.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  channels,
  type ContractBar,
  findTrendStarts,
  formatUtcTimestamp,
  type OhlcBar,
  parseMesCsv,
  signalMessageSchema,
  signalsStoredMessageSchema,
  strategyById,
} from '../../core/src/index.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { AnalyzerService } from '../../analyzer/src/analyzer-service.ts';
import { writeFlush } from '../../ingester/src/bar-store.ts';
import type { Pool } from '../../core/src/node/db-pool.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { hasSharedData, readShared } from '../support/shared-data.ts';
import { syntheticBars } from '../support/synthetic-bars.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

const CONTRACT = 'CON.F.US.MES.M25';
let db: TestDatabase;
let pool: Pool;

const settings = parseSettings({
  contracts: [{ id: CONTRACT, provider: 'simulated', symbol: CONTRACT, tick_size: 0.25, session_calendar: 'utc' }],
  ingester: { contracts: [CONTRACT] },
  analyzer: {
    metrics_port: 0,
    targets: [
      { analyzer_id: 'cus_cds_trend_finder', strategy: 'cus_cds_trend_finder', contract_id: CONTRACT, timeframes: ['4h'] },
      { analyzer_id: 'ema_cross_rsi', strategy: 'ema_cross_rsi', contract_id: CONTRACT, timeframes: ['4h'], params: { fast: 5, slow: 12 } },
    ],
  },
});

useTestDatabase((ground) => ({ db, pool } = ground));

const toContractBar = (b: OhlcBar): ContractBar => ({ ...b, contractId: CONTRACT, unit: 3, value: 4, isClosed: true });

async function writeBars(bars: readonly OhlcBar[], chunk: number): Promise<void> {
  for (let i = 0; i < bars.length; i += chunk) await writeFlush(pool, bars.slice(i, i + chunk).map(toContractBar), []);
}

async function waitForWatermark(analyzerId: string, time: number): Promise<void> {
  await eventually(async () => {
    const { rows } = await pool.query(`SELECT 1 FROM analyzer_watermarks WHERE analyzer_id = $1 AND last_processed_timestamp >= $2`, [
      analyzerId,
      new Date(time),
    ]);
    return rows.length > 0;
  });
}

async function runLive(bars: readonly OhlcBar[]): Promise<number> {
  const notices: string[] = [];
  const listener = new pg.Client({ connectionString: db.url });
  await listener.connect();
  listener.on('error', () => undefined);
  let summarised = 0; // a catch-up of many signals is announced by one signals_stored summary
  listener.on('notification', (n) => {
    if (n.channel === channels.signalsStored.name) summarised += signalsStoredMessageSchema.parse(JSON.parse(n.payload ?? '')).count;
    else if (n.payload) notices.push(n.payload);
  });
  await listener.query(`LISTEN ${channels.signalDetected.name}; LISTEN ${channels.signalsStored.name}`);
  const third = Math.floor(bars.length / 3);
  const first = new AnalyzerService({ settings, databaseUrl: db.url, logger: quietLogger('analyzer'), metricsPort: 0 });
  await first.start();
  await writeBars(bars.slice(0, third), 7);
  for (const id of ['cus_cds_trend_finder', 'ema_cross_rsi']) await waitForWatermark(id, (bars[third - 1] as OhlcBar).time);
  await first.stop();
  await writeBars(bars.slice(third, 2 * third), 5); // NOTIFYs nobody hears: the restart must catch up
  const second = new AnalyzerService({ settings, databaseUrl: db.url, logger: quietLogger('analyzer'), metricsPort: 0 });
  await second.start();
  await writeBars(bars.slice(2 * third), 3);
  for (const id of ['cus_cds_trend_finder', 'ema_cross_rsi']) await waitForWatermark(id, (bars[bars.length - 1] as OhlcBar).time);
  await second.stop();
  await new Promise((r) => setTimeout(r, 100));
  await listener.end();
  // Payloads are built by PostgreSQL: they must still be exactly the registry's shape.
  const parsed = notices.map((n) => signalMessageSchema.parse(JSON.parse(n)));
  return new Set(parsed.map((n) => n.signal_id)).size === notices.length ? notices.length + summarised : -1;
}

async function storedSignals(analyzerId: string): Promise<string[]> {
  const { rows } = await pool.query<{ ts: Date; signal_type: string; rule: string; trigger: string }>(
    `SELECT "timestamp" AS ts, signal_type, details->>'rule' AS rule, details->>'trigger_time' AS trigger FROM detected_signals
      WHERE analyzer_id = $1 ORDER BY "timestamp", signal_type DESC`,
    [analyzerId],
  );
  return rows.map((r) => `${r.ts.toISOString()} ${r.signal_type} ${r.rule} ${r.trigger}`);
}

describe('analyzer live == batch', () => {
  const bars = hasSharedData
    ? parseMesCsv(readShared('MES_M25_4h.csv')).bars
    : syntheticBars(316, { start: Date.parse('2025-03-16T22:00:00Z'), stepMs: 4 * 3_600_000 });

  it('stores the same signals as one batch pass, each notified once', async () => {
    const notified = await runLive(bars);
    const trend = findTrendStarts(bars).map(
      (s) =>
        `${new Date(s.barTime).toISOString()} ${s.type === 'up' ? 'uptrend_start' : 'downtrend_start'} ${s.rule} ${new Date(s.triggerTime).toISOString()}`,
    );
    const trendStored = await storedSignals('cus_cds_trend_finder');
    expect(trendStored.length).toBeGreaterThan(10);
    expect([...trendStored].sort()).toEqual([...trend].sort());

    const strategy = strategyById('ema_cross_rsi').create({ fast: 5, slow: 12 });
    const ema = bars.flatMap((b) =>
      strategy
        .update(b)
        .map((s) => `${new Date(s.bar.time).toISOString()} ${s.type} ${String(s.details.rule)} ${new Date(b.time).toISOString()}`),
    );
    const emaStored = await storedSignals('ema_cross_rsi');
    expect(emaStored.length).toBeGreaterThan(2);
    expect([...emaStored].sort()).toEqual([...ema].sort());
    expect(notified).toBe(trendStored.length + emaStored.length);
  }, 60_000);

  it.skipIf(!hasSharedData)('reproduces the reference trend starts for the MES 4h series', async () => {
    const reference = readShared('trend-starts-reference/trend_starts_4h.csv')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','))
      .map(([type, , date, rule]) => `${date} ${type}_start ${rule}`);
    const { rows } = await pool.query<{ ts: Date; signal_type: string; rule: string }>(
      `SELECT "timestamp" AS ts, signal_type, details->>'rule' AS rule FROM detected_signals WHERE analyzer_id = 'cus_cds_trend_finder'`,
    );
    const stored = rows.map((r) => `${formatUtcTimestamp(r.ts.getTime())} ${r.signal_type} ${r.rule}`);
    expect(stored.sort()).toEqual(reference.sort());
    expect(reference).toHaveLength(120);
  });
});
