// The analyzer's backfill path: many signals at once are COPYed and announced by one signals_stored
// summary; a pass that could collide with stored signals takes the per-row path; targets on one
// series share bar pages, and a changed bar is never hidden by a shared copy read before it.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  channels,
  type ContractBar,
  findTrendStarts,
  type OhlcBar,
  signalMessageSchema,
  signalsStoredMessageSchema,
} from '../../core/src/index.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import type { Pool } from '../../core/src/node/db-pool.ts';
import { AnalyzerService } from '../../analyzer/src/analyzer-service.ts';
import { closedBarColumnsAfter, closedBarsAfter } from '../../analyzer/src/closed-bars.ts';
import { type BarPageReader, SharedBarPages } from '../../analyzer/src/shared-bar-pages.ts';
import { TargetRunner } from '../../analyzer/src/target-runner.ts';
import { analysisUnits } from '../../analyzer/src/targets.ts';
import { writeFlush } from '../../ingester/src/bar-store.ts';
import { writeHistoryBars } from '../../ingester/src/history-store.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { syntheticBars } from '../support/synthetic-bars.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

let db: TestDatabase;
let pool: Pool;
useTestDatabase((ground) => ({ db, pool } = ground));

const bars = syntheticBars(3_000, { start: Date.parse('2025-01-06T00:00:00Z'), stepMs: 60_000, seed: 8 });
const asRow =
  (contractId: string) =>
  (b: OhlcBar): ContractBar => ({ ...b, contractId, unit: 2, value: 1, isClosed: true });
const expected = (series: readonly OhlcBar[]) =>
  findTrendStarts(series)
    .map(
      (s) =>
        `${new Date(s.barTime).toISOString()} ${s.type === 'up' ? 'uptrend' : 'downtrend'}_start ${s.rule} ${new Date(s.triggerTime).toISOString()}`,
    )
    .sort();

async function stored(contract: string): Promise<string[]> {
  const { rows } = await pool.query<{ t: Date; ty: string; rule: string; trigger: string }>(
    `SELECT "timestamp" AS t, signal_type AS ty, details->>'rule' AS rule, details->>'trigger_time' AS trigger
       FROM detected_signals WHERE contract_id = $1 AND analyzer_id = 'trend'`,
    [contract],
  );
  return rows.map((r) => `${r.t.toISOString()} ${r.ty} ${r.rule} ${r.trigger}`).sort();
}

function settingsFor(contract: string) {
  return parseSettings({
    contracts: [{ id: contract, provider: 'simulated', symbol: contract, tick_size: 0.25, session_calendar: 'utc' }],
    ingester: { contracts: [contract] },
    analyzer: {
      metrics_port: 0,
      targets: [
        { analyzer_id: 'trend', strategy: 'cus_cds_trend_finder', contract_id: contract, timeframes: ['1m'] },
        { analyzer_id: 'ema', strategy: 'ema_cross', contract_id: contract, timeframes: ['1m'], params: { fast: 5, slow: 12 } },
      ],
    },
  });
}

describe('analyzer bulk signal writes', () => {
  it('stores a backfill with one signals_stored summary per write, equal to the batch computation', async () => {
    await writeFlush(pool, bars.map(asRow('BULK')), []);
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const summaries: unknown[] = [];
    const perRow: unknown[] = [];
    listener.on('notification', (n) =>
      (n.channel === channels.signalsStored.name ? summaries : perRow).push(JSON.parse(n.payload ?? 'null')),
    );
    await listener.query(`LISTEN ${channels.signalsStored.name}; LISTEN ${channels.signalDetected.name}`);
    const service = new AnalyzerService({
      settings: settingsFor('BULK'),
      databaseUrl: db.url,
      logger: quietLogger('analyzer'),
      metricsPort: 0,
    });
    await service.start();
    await service.stop();
    await eventually(() => summaries.length > 0);
    await listener.end();

    const want = expected(bars);
    expect(want.length).toBeGreaterThan(500);
    expect(await stored('BULK')).toEqual(want);
    const parsed = summaries.map((s) => signalsStoredMessageSchema.parse(s));
    const trend = parsed.filter((s) => s.analyzer_id === 'trend');
    expect(trend.reduce((n, s) => n + s.count, 0)).toBe(want.length);
    expect(trend.every((s) => s.contract_id === 'BULK' && s.timeframe === '1m')).toBe(true);
    expect(perRow.filter((m) => signalMessageSchema.parse(m).analyzer_id === 'trend')).toHaveLength(0);
    const ids = await pool.query<{ n: number }>('SELECT count(DISTINCT signal_id)::int AS n FROM detected_signals WHERE contract_id = $1', [
      'BULK',
    ]);
    expect(ids.rows[0]?.n).toBe(
      want.length + parsed.filter((s) => s.analyzer_id === 'ema').reduce((n, s) => n + s.count, 0) + perRow.length,
    );
  }, 60_000);

  it('falls back to the per-row path when stored signals overlap the pass, keeping one row per signal', async () => {
    await writeFlush(pool, bars.map(asRow('OVERLAP')), []);
    const first = new AnalyzerService({
      settings: settingsFor('OVERLAP'),
      databaseUrl: db.url,
      logger: quietLogger('analyzer'),
      metricsPort: 0,
    });
    await first.start();
    await first.stop();
    const complete = await stored('OVERLAP');
    // Lose the watermark only: the next start recomputes everything while every signal is still stored.
    await pool.query(`DELETE FROM analyzer_watermarks WHERE contract_id = 'OVERLAP'`);
    const second = new AnalyzerService({
      settings: settingsFor('OVERLAP'),
      databaseUrl: db.url,
      logger: quietLogger('analyzer'),
      metricsPort: 0,
    });
    await second.start();
    await second.stop();
    expect(second.runners.every((r) => r.lastError === undefined)).toBe(true);
    expect(await stored('OVERLAP')).toEqual(complete);
    expect(complete).toEqual(expected(bars));
  }, 60_000);

  it('never serves a shared page read before a bar changed to a read asked for after it', async () => {
    await writeFlush(pool, bars.slice(0, 10).map(asRow('SHARE')), []);
    const units = analysisUnits(settingsFor('SHARE'));
    const pages = new SharedBarPages(pool, () => units.length);
    const unit = units[0]!;
    const before = await pages.read(unit, undefined);
    const changed = { ...asRow('SHARE')(bars[3]!), close: bars[3]!.close + 0.25, high: Math.max(bars[3]!.high, bars[3]!.close + 0.25) };
    await writeHistoryBars(pool, [changed]); // a vendor correction of a closed bar
    // Without the invalidation the second target would be handed the copy read before the change…
    expect((await pages.read(units[1]!, undefined)).at(3)).toEqual(before.at(3));
    const again = await pages.read(unit, undefined);
    pages.invalidate('SHARE', 2, 1);
    const after = await pages.read(unit, undefined);
    expect(again).not.toBe(after);
    expect(after.at(3).close).toBe(changed.close);
    expect(after.toBars()).toEqual(await closedBarsAfter(pool, unit, undefined));
  });

  it('re-runs a target when a bar it fed from an older copy was changed during the pass', async () => {
    const contract = 'RACE';
    await writeFlush(pool, bars.map(asRow(contract)), []);
    const unit = analysisUnits(settingsFor(contract)).find((u) => u.analyzerId === 'trend')!;
    const k = 2_500;
    const changed = { ...asRow(contract)(bars[k]!), low: bars[k]!.low - 50, high: bars[k]!.high + 50 };
    let raced = false;
    // The first page is read before the correction commits and is fed after its notification arrived.
    const reader: BarPageReader = async (u, after, limit, until) => {
      const page = await closedBarColumnsAfter(pool, u, after, limit, until);
      if (!raced) {
        raced = true;
        await writeHistoryBars(pool, [changed]);
        void runner.noteBar(changed.time, changed);
      }
      return page;
    };
    const runner = new TargetRunner(
      unit,
      pool,
      quietLogger('analyzer'),
      {
        onBars: () => undefined,
        onSignals: () => undefined,
        onRejectedBar: () => undefined,
        onFailed: () => undefined,
      },
      reader,
    );
    await runner.catchUp();
    await runner.catchUp();
    expect(raced).toBe(true);
    const series = bars.map((b, i) => (i === k ? { ...b, low: changed.low, high: changed.high } : b));
    expect(expected(series)).not.toEqual(expected(bars)); // the change matters to the strategy
    expect(await stored(contract)).toEqual(expected(series));
  }, 60_000);

  it('recomputes and reconciles after a lost LISTEN connection: a change it never heard of is applied', async () => {
    const contract = 'RELISTEN';
    await writeFlush(pool, bars.map(asRow(contract)), []);
    const service = new AnalyzerService({
      settings: settingsFor(contract),
      databaseUrl: db.url,
      logger: quietLogger('analyzer'),
      metricsPort: 0,
    });
    await service.start();
    expect(await stored(contract)).toEqual(expected(bars));
    // A change no notification announces (as if sent while LISTEN was down), then the loss itself.
    const k = 2_500;
    await pool.query(`UPDATE ohlc_bars SET low = low - 50, high = high + 50 WHERE contract_id = $1 AND "timestamp" = $2`, [
      contract,
      new Date(bars[k]!.time),
    ]);
    const series = bars.map((b, i) => (i === k ? { ...b, low: b.low - 50, high: b.high + 50 } : b));
    expect(expected(series)).not.toEqual(expected(bars));
    await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`);
    await eventually(async () => JSON.stringify(await stored(contract)) === JSON.stringify(expected(series)), 20_000);
    await service.stop();
  }, 60_000);
});
