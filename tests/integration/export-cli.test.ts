// `npm run export` as a user meets it: signals (--signals) as CSV read back field for field, the
// details JSON in one quoted field, pages of signals joined without loss; a contract nothing is stored
// under exits 1 with one line saying so.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { parseSignalCsv, type SignalCsvRow } from '../../core/src/node/csv/signal-csv.ts';
import { createPool, type Pool } from '../../core/src/node/db-pool.ts';
import { parseExportArgs } from '../../scripts/lib/history/export-args.ts';
import { runExport, UnknownContractError } from '../../scripts/lib/history/export-command.ts';
import { exportSignals } from '../../scripts/lib/history/signal-export.ts';
import { capturedOutput } from '../support/captured-output.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const T0 = Date.parse('2025-03-17T14:00:00Z');
const MINUTE = 60_000;

let db: TestDatabase;
let pool: Pool;
let dir: string;

async function run(argv: string[]) {
  const { stdout, stderr, text } = capturedOutput();
  const settings = parseSettings({
    database: { url: db.url },
    contracts: [{ id: 'SIM.MES', provider: 'simulated', symbol: 'SIM.MES', tick_size: 0.25, session_calendar: 'utc' }],
    ingester: { contracts: ['SIM.MES'] },
  });
  const code = await runExport(parseExportArgs(argv), { settings, rootDir: process.cwd(), stdout, stderr });
  return { code, out: text.out, err: text.err };
}

/** The stored signals as the CSV should carry them (times to the millisecond). */
async function storedSignals(where: string, params: unknown[]): Promise<SignalCsvRow[]> {
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT signal_id, analyzer_id, contract_id, timeframe, (extract(epoch FROM "timestamp") * 1000)::float8 AS time,
            floor(extract(epoch FROM trigger_timestamp) * 1000)::float8 AS trigger_time, signal_type, signal_price, signal_open, signal_high,
            signal_low, signal_close, signal_volume, details
       FROM detected_signals WHERE ${where} ORDER BY "timestamp", signal_id`,
    params,
  );
  return rows.map((r) => ({
    signalId: r.signal_id as number,
    analyzerId: r.analyzer_id as string,
    contractId: r.contract_id as string,
    timeframe: r.timeframe as string,
    time: r.time as number,
    triggerTime: r.trigger_time as number,
    signalType: r.signal_type as string,
    price: r.signal_price as number | null,
    open: r.signal_open as number | null,
    high: r.signal_high as number | null,
    low: r.signal_low as number | null,
    close: r.signal_close as number | null,
    volume: r.signal_volume as number | null,
    details: r.details,
  }));
}

async function insertSignal(s: {
  analyzer: string;
  contract: string;
  timeframe: string;
  time: number;
  type: string;
  price: number | null;
  details: unknown;
}) {
  await pool.query(
    `INSERT INTO detected_signals (analyzer_id, contract_id, timeframe, "timestamp", trigger_timestamp, signal_type, signal_price,
      signal_open, signal_high, signal_low, signal_close, signal_volume, details)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7, $7, $7, 12.5, $8)`,
    [
      s.analyzer,
      s.contract,
      s.timeframe,
      new Date(s.time),
      new Date(s.time + 5 * MINUTE + 250),
      s.type,
      s.price,
      JSON.stringify(s.details),
    ],
  );
}

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url);
  dir = mkdtempSync(join(tmpdir(), 'barstream-export-'));
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await pool.query('TRUNCATE detected_signals, ohlc_bars');
});

describe('npm run export -- --signals', () => {
  it('writes one contract/timeframe/analyzer/range of signals; every field, the JSON details included, reads back as stored', async () => {
    const details = { reason: 'close above "EMA", then a pullback', levels: [1.5, 0.30000000000000004], note: 'two\nlines' };
    for (let i = 0; i < 4; i++)
      await insertSignal({
        analyzer: 'a1',
        contract: 'MES.X',
        timeframe: '5m',
        time: T0 + i * 5 * MINUTE,
        type: 'up',
        price: i === 1 ? null : 5000 + i / 4,
        details: { ...details, i },
      });
    await insertSignal({ analyzer: 'a2', contract: 'MES.X', timeframe: '5m', time: T0, type: 'up', price: 1, details: {} });
    await insertSignal({ analyzer: 'a1', contract: 'MES.X', timeframe: '1h', time: T0, type: 'up', price: 1, details: {} });
    await insertSignal({ analyzer: 'a1', contract: 'OTHER', timeframe: '5m', time: T0, type: 'up', price: 1, details: {} });

    const result = await run([
      '--signals',
      '--contract',
      'MES.X',
      '--timeframe',
      '5m',
      '--analyzer',
      'a1',
      '--from',
      '2025-03-17T14:05:00Z',
      '--to',
      '2025-03-17T14:15:00Z',
    ]);
    expect(result.code).toBe(0);
    expect(result.err).toBe('exported 2 signals of MES.X 5m a1\n');
    // One quoted field, its quotes doubled (jsonb orders the keys its own way).
    expect(result.out.split('\n')[1]).toMatch(
      /,12\.5,"\{""i"":1,""note"":""two\\nlines"",.*""reason"":""close above \\""EMA\\"", then a pullback""\}"$/,
    );
    const parsed = parseSignalCsv(result.out);
    expect(parsed.errors).toEqual([]);
    const expected = await storedSignals(
      `contract_id = 'MES.X' AND timeframe = '5m' AND analyzer_id = 'a1' AND "timestamp" >= $1 AND "timestamp" < $2`,
      [new Date(T0 + 5 * MINUTE), new Date(T0 + 15 * MINUTE)],
    );
    expect(expected.map((s) => s.time)).toEqual([T0 + 5 * MINUTE, T0 + 10 * MINUTE]);
    expect(parsed.rows).toEqual(expected);
    expect(parsed.rows[0]).toMatchObject({ price: null, triggerTime: T0 + 10 * MINUTE + 250, details: { ...details, i: 1 } });

    const all = await run(['--signals', '--contract', 'MES.X']);
    expect(
      parseSignalCsv(all.out)
        .rows.map((r) => `${r.analyzerId} ${r.timeframe}`)
        .sort(),
    ).toEqual(['a1 1h', 'a1 5m', 'a1 5m', 'a1 5m', 'a1 5m', 'a2 5m']);
  });

  it('joins its pages without losing or repeating a signal, ties in time ordered by id', async () => {
    // Three signals per bar time and pages of 7: page edges fall inside ties.
    await pool.query(
      `INSERT INTO detected_signals (analyzer_id, contract_id, timeframe, "timestamp", signal_type, details)
      SELECT 'a1', 'MES.X', '1m', to_timestamp($1::float8 / 1000) + (i / 3) * interval '1 minute', 'type' || (i % 3), jsonb_build_object('i', i)
        FROM generate_series(0, 49) AS i`,
      [T0],
    );
    const out = new PassThrough();
    let csv = '';
    out.on('data', (d: Buffer) => {
      csv += d.toString();
    });
    expect(await exportSignals(pool, { contractId: 'MES.X' }, out, 7)).toBe(50);
    const parsed = parseSignalCsv(csv);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual(await storedSignals(`contract_id = 'MES.X'`, []));
    expect(new Set(parsed.rows.map((r) => r.signalId)).size).toBe(50);
  });

  it('writes --out, the count on stderr and nothing on stdout', async () => {
    await insertSignal({ analyzer: 'a1', contract: 'MES.X', timeframe: '5m', time: T0, type: 'up', price: 1, details: { a: 'b,c' } });
    const file = join(dir, 'signals.csv');
    const result = await run(['--signals', '--contract', 'MES.X', '--out', file]);
    expect(result).toEqual({ code: 0, out: '', err: `exported 1 signals of MES.X to ${file}\n` });
    expect(parseSignalCsv(readFileSync(file, 'utf8')).rows).toEqual(await storedSignals(`contract_id = 'MES.X'`, []));
  });
});

describe('npm run export of a contract nothing is stored under', () => {
  it('fails naming the contract, bars or signals, and writes no file', async () => {
    await pool.query(
      `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
      VALUES ('MES.X', $1, 1, 2, 1, 1.5, 3, 2, 1, '1m', true)`,
      [new Date(T0)],
    );
    await expect(run(['--contract', 'MES.Y', '--timeframe', '1m', '--out', join(dir, 'none.csv')])).rejects.toThrow(UnknownContractError);
    await expect(run(['--signals', '--contract', 'MES.Y'])).rejects.toThrow(
      /^unknown contract 'MES\.Y': no bars or signals are stored under that id/,
    );
    expect(() => readFileSync(join(dir, 'none.csv'))).toThrow(/ENOENT/);
    // Known but empty in the range: an empty export, not an error.
    expect((await run(['--contract', 'MES.X', '--timeframe', '5m'])).code).toBe(0);
  });

  it('exits 1 with that one line from the command line', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/export-bars.ts', '--contract', 'NOPE.X', '--timeframe', '1m'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, DATABASE_URL: db.url },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^unknown contract 'NOPE\.X': no bars or signals are stored under that id/),
    ]);
  });
});
