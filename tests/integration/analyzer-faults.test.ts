// Analyzer under bad input and faults: bad bars never reach a strategy, a throwing strategy is
// isolated, a corrected bar re-runs its target, and `npm run analyzer -- reset` recomputes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ContractBar, findTrendStarts, type OhlcBar, registerStrategy } from '../../core/src/index.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import type { Pool } from '../../core/src/node/db-pool.ts';
import { AnalyzerService } from '../../analyzer/src/analyzer-service.ts';
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

registerStrategy({
  id: 'test_throws_on_bar_30',
  description: 'fails on purpose',
  create: () => {
    let n = 0;
    return {
      update: () => {
        if (++n === 30) throw new Error('boom on bar 30');
        return [];
      },
    };
  },
});

const targets = [
  { analyzer_id: 'trend', strategy: 'cus_cds_trend_finder', contract_id: 'F', timeframes: ['1h'] },
  { analyzer_id: 'broken', strategy: 'test_throws_on_bar_30', contract_id: 'F', timeframes: ['1h'] },
];
const settings = parseSettings({
  contracts: [{ id: 'F', provider: 'simulated', symbol: 'F', tick_size: 0.25, session_calendar: 'utc' }],
  ingester: { contracts: ['F'] },
  analyzer: { metrics_port: 0, targets },
});
const bars = syntheticBars(120, { start: Date.parse('2025-02-03T00:00:00Z'), stepMs: 3_600_000, seed: 21 });
const asRow = (b: OhlcBar): ContractBar => ({ ...b, contractId: 'F', unit: 3, value: 1, isClosed: true });

async function stored(analyzer: string): Promise<string[]> {
  const { rows } = await pool.query<{ t: Date; ty: string; rule: string }>(
    `SELECT "timestamp" AS t, signal_type AS ty, details->>'rule' AS rule FROM detected_signals WHERE analyzer_id = $1`,
    [analyzer],
  );
  return rows.map((r) => `${r.t.toISOString()} ${r.ty} ${r.rule}`).sort();
}
const batch = (series: readonly OhlcBar[]) =>
  findTrendStarts(series)
    .map((s) => `${new Date(s.barTime).toISOString()} ${s.type === 'up' ? 'uptrend' : 'downtrend'}_start ${s.rule}`)
    .sort();

describe('analyzer faults', () => {
  it('isolates a throwing strategy, rejects bad bars, and re-runs a target when a past bar is corrected', async () => {
    const service = new AnalyzerService({ settings, databaseUrl: db.url, logger: quietLogger('analyzer'), metricsPort: 0 });
    await service.start();
    await writeFlush(pool, bars.slice(0, 60).map(asRow), []);
    // A NaN high satisfies PostgreSQL's CHECKs (NaN sorts above every number): the analyzer must stop it.
    await pool.query(
      `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
      VALUES ('F', $1, 10, 'NaN', 9, 10, 1, 3, 1, '1h', true)`,
      [new Date((bars[59] as OhlcBar).time + 1_800_000)],
    );
    await writeFlush(pool, bars.slice(60).map(asRow), []);
    const last = (bars[bars.length - 1] as OhlcBar).time;
    const trendRunner = service.runners.find((r) => r.unit.analyzerId === 'trend');
    await eventually(() => trendRunner?.watermark === last);

    const health = service.health();
    expect(health.ok).toBe(false);
    expect(health.targets).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ target: 'broken|F|1h', status: 'failed', failure: 'boom on bar 30' }),
        expect.objectContaining({ target: 'trend|F|1h', status: 'running' }),
      ]),
    );
    expect(await stored('trend')).toEqual(batch(bars));

    // Correct bar 40 (an import would): the target re-runs from it and matches the corrected batch.
    const corrected = bars.map((b, i) => (i === 40 ? { ...b, high: b.high + 50, close: b.high + 40 } : b));
    expect(batch(corrected)).not.toEqual(batch(bars)); // the correction matters, so a missed re-run would show
    await writeHistoryBars(pool, [asRow(corrected[40] as OhlcBar)]);
    await eventually(async () => JSON.stringify(await stored('trend')) === JSON.stringify(batch(corrected)));
    await service.stop();
  }, 40_000);

  it('recomputes a target with `npm run analyzer -- reset`', async () => {
    const before = await stored('trend');
    await pool.query(`DELETE FROM detected_signals WHERE analyzer_id = 'trend' AND "timestamp" > $1`, [
      new Date((bars[50] as OhlcBar).time),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'analyzer-cli-'));
    writeFileSync(
      join(dir, 'settings.yaml'),
      JSON.stringify({
        contracts: [{ id: 'F', provider: 'simulated', symbol: 'F', tick_size: 0.25, session_calendar: 'utc' }],
        ingester: { contracts: ['F'] },
        analyzer: { targets: [targets[0]] },
        logging: { level: 'warn' },
      }),
    );
    const env = { ...process.env, DATABASE_URL: db.url, BARSTREAM_CONFIG: join(dir, 'settings.yaml') };
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'scripts/analyzer.ts', ...args], { env, encoding: 'utf8' });
    const ok = run('reset', '--analyzer', 'trend', '--contract', 'F', '--timeframe', '1h');
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/reset trend F 1h: 121 bars processed, \d+ signals stored/);
    expect(await stored('trend')).toEqual(before);
    const bad = run('reset', '--analyzer', 'trend', '--contract', 'F');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/missing --timeframe/);
    const unknown = run('reset', '--analyzer', 'nope', '--contract', 'F', '--timeframe', '1h');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no analysis target nope F 1h/);
  }, 150_000); // three `tsx` CLI runs one after another: 71 s seen at load 21
});
