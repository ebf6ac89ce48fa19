// Replay through the real ingester into PostgreSQL: the stored bars equal the source bars, and for
// the real MES file the 1h/4h/1d rollups equal the vendor's wherever both saw the same trades.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  calendarFor,
  ingestContracts,
  parseMesCsv,
  type Settings,
  SessionCalendar,
  CME_CALENDAR,
  parseTimeframe,
} from '../../core/src/index.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import type { Pool } from '../../core/src/node/db-pool.ts';
import { IngesterService } from '../../ingester/src/ingester-service.ts';
import { createProvider, replaySpeedOf } from '../../ingester/src/providers/create-provider.ts';
import type { MarketDataProvider } from '../../ingester/src/providers/provider.ts';
import { ReplayProvider } from '../../ingester/src/providers/replay-provider.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { hasSharedData, MES_DIR, readShared } from '../support/shared-data.ts';
import { syntheticBars } from '../support/synthetic-bars.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

let db: TestDatabase;
let pool: Pool;
useTestDatabase((ground) => {
  ({ db, pool } = ground);
});

const MES = 'CON.F.US.MES.M25';

async function replay(
  settings: Settings,
  file: string,
  configured?: { provider: MarketDataProvider; replaySpeed: number | undefined },
): Promise<void> {
  const contracts = ingestContracts(settings);
  const calendars = new Map(contracts.map((c) => [c.id, calendarFor(settings, c)]));
  const provider =
    configured?.provider ??
    new ReplayProvider({ file, speed: Infinity, logger: quietLogger('replay'), calendarFor: (id) => calendars.get(id) });
  const replaySpeed = configured ? configured.replaySpeed : Infinity;
  const service = new IngesterService({
    settings,
    databaseUrl: db.url,
    contracts,
    provider,
    replaySpeed,
    logger: quietLogger('ingester'),
    metricsPort: 0,
  });
  await service.start();
  const deadline = Date.now() + 60_000;
  // Done when every bar is closed and nothing is left forming.
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    const ids = contracts.map((c) => c.id);
    const { rows } = await pool.query<{ open: number }>(
      `SELECT count(*)::int AS open FROM ohlc_bars WHERE NOT is_closed AND contract_id = ANY($1)`,
      [ids],
    );
    const { rows: all } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ohlc_bars WHERE contract_id = ANY($1)`, [ids]);
    if ((all[0]?.n ?? 0) > 0 && rows[0]?.open === 0) break;
    if (Date.now() > deadline) throw new Error('replay did not finish');
  }
  await service.stop();
}

const settingsFor = (contract: object, timeframes: string[]) =>
  parseSettings({
    contracts: [contract],
    ingester: { provider: 'replay', contracts: [(contract as { id: string }).id], timeframes, flush_interval_ms: 20, close_grace_ms: 0 },
  });

describe('replay provider', () => {
  it('stores exactly the bars of a synthetic bar file', async () => {
    const bars = syntheticBars(300, { start: Date.parse('2025-01-06T00:00:00Z'), stepMs: 60_000, seed: 9 });
    const file = join(mkdtempSync(join(tmpdir(), 'replay-')), 'bars.csv');
    writeFileSync(
      file,
      [
        'contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value',
        ...bars.map((b) => `SYN,${new Date(b.time).toISOString()},${b.open},${b.high},${b.low},${b.close},${b.volume},2,1`),
      ].join('\n'),
    );
    await replay(
      settingsFor({ id: 'SYN', provider: 'replay', symbol: 'SYN', tick_size: 0.25, session_calendar: 'utc' }, ['1m', '15m']),
      file,
    );
    const { rows } = await pool.query<{ t: Date; open: number; high: number; low: number; close: number; volume: number }>(
      `SELECT "timestamp" AS t, open, high, low, close, volume FROM ohlc_bars WHERE contract_id = 'SYN' AND timeframe = '1m' ORDER BY 1`,
    );
    expect(rows.map((r) => [r.t.getTime(), r.open, r.high, r.low, r.close, r.volume])).toEqual(
      bars.map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume]),
    );
    const fifteen = await pool.query<{ n: number; v: number }>(
      `SELECT count(*)::int AS n, sum(volume)::float8 AS v FROM ohlc_bars WHERE contract_id = 'SYN' AND timeframe = '15m'`,
    );
    expect(fifteen.rows[0]).toEqual({ n: 20, v: bars.reduce((s, b) => s + b.volume, 0) });
  }, 60_000);

  it('REPLAY_SPEED=Infinity (env) and speed: .inf (YAML) reach the replay provider, which replays as fast as possible', async () => {
    // Five days of 1m bars: 2 hours at the default 60×, seconds as fast as possible (within the test's timeout only then).
    const bars = syntheticBars(5 * 1_440, { start: Date.parse('2025-02-03T00:00:00Z'), stepMs: 60_000, seed: 4 });
    const file = join(mkdtempSync(join(tmpdir(), 'replay-inf-')), 'bars.csv');
    writeFileSync(
      file,
      [
        'contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value',
        ...bars.map((b) => `INF,${new Date(b.time).toISOString()},${b.open},${b.high},${b.low},${b.close},${b.volume},2,1`),
      ].join('\n'),
    );
    const raw = {
      contracts: [{ id: 'INF', provider: 'replay', symbol: 'INF', tick_size: 0.25, session_calendar: 'utc' }],
      ingester: { provider: 'replay', contracts: ['INF'], timeframes: ['1m', '1h'], flush_interval_ms: 20, close_grace_ms: 0 },
    };
    expect(parseSettings({ ...raw, ...(parseYaml('providers: { replay: { speed: .inf } }') as object) }).providers.replay.speed).toBe(
      Infinity,
    );
    expect(() => parseSettings(raw, { REPLAY_SPEED: '-Infinity' })).toThrow(/^REPLAY_SPEED \(env\): providers\.replay\.speed: /);
    const settings = parseSettings(raw, { REPLAY_SPEED: 'Infinity', REPLAY_FILE: file });
    expect(settings.providers.replay.speed).toBe(Infinity);
    const provider = createProvider(settings, ingestContracts(settings), quietLogger('replay'), tmpdir());
    await replay(settings, file, { provider, replaySpeed: replaySpeedOf(settings) });
    const { rows } = await pool.query<{ timeframe: string; n: number; v: number }>(
      `SELECT timeframe, count(*)::int AS n, sum(volume)::float8 AS v FROM ohlc_bars WHERE contract_id = 'INF' GROUP BY 1 ORDER BY 1`,
    );
    const volume = bars.reduce((s, b) => s + b.volume, 0);
    expect(rows).toEqual([
      { timeframe: '1h', n: 5 * 24, v: volume },
      { timeframe: '1m', n: bars.length, v: volume },
    ]);
  }, 60_000);

  it.skipIf(!hasSharedData)(
    'replays the real MES 5m file into bars equal to the source and the vendor rollups',
    async () => {
      const settings = settingsFor({ id: MES, provider: 'projectx', symbol: 'MES', tick_size: 0.25, session_calendar: 'cme_globex' }, [
        '5m',
        '1h',
        '4h',
        '1d',
      ]);
      await replay(settings, `${MES_DIR}MES_M25_5m.csv`);
      const five = parseMesCsv(readShared('MES_M25_5m.csv')).bars;
      const { rows } = await pool.query<{
        t: Date;
        open: number;
        high: number;
        low: number;
        close: number;
        volume: number;
        timeframe: string;
      }>(`SELECT "timestamp" AS t, open, high, low, close, volume, timeframe FROM ohlc_bars WHERE contract_id = $1 ORDER BY 1`, [MES]);
      const stored = (tf: string) => new Map(rows.filter((r) => r.timeframe === tf).map((r) => [r.t.getTime(), r]));
      const fives = stored('5m');
      expect(fives.size).toBe(five.length);
      for (const b of five)
        expect(fives.get(b.time)).toMatchObject({ open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume });
      const calendar = new SessionCalendar(CME_CALENDAR);
      const lastEnd = (five[five.length - 1]?.time ?? 0) + 300_000;
      for (const [file, tf] of [
        ['MES_M25_1h.csv', '1h'],
        ['MES_M25_4h.csv', '4h'],
        ['MES_M25_1d.csv', '1d'],
      ] as const) {
        const ours = stored(tf);
        const vendor = parseMesCsv(readShared(file)).bars.filter((v) => calendar.bucket(v.time, parseTimeframe(tf)).to <= lastEnd);
        let mismatched = 0;
        for (const v of vendor) {
          const o = ours.get(v.time);
          expect(o, `${tf} ${new Date(v.time).toISOString()}`).toBeDefined();
          if (o && (o.open !== v.open || o.high !== v.high || o.low !== v.low || o.close !== v.close)) {
            mismatched++;
            expect(o.volume, `${tf} ${new Date(v.time).toISOString()} differs with equal volume`).not.toBe(v.volume);
          }
        }
        expect(mismatched).toBeLessThanOrEqual(Math.ceil(vendor.length * 0.01) + 1);
      }
    },
    120_000,
  );
});
