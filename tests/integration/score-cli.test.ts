// `npm run analyzer -- score` and `labels export|import` on seeded bars, signals, SMC events and labels
// in a real PostgreSQL: the figures are the hand-computed ones below.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLabelsCommand } from '../../analyzer/src/commands/labels.ts';
import { runScoreCommand } from '../../analyzer/src/commands/score.ts';
import { createPool, type Pool } from '../../core/src/node/db-pool.ts';
import type { ScoreResponse } from '../../core/src/scoring/score-wire.ts';
import { capturedOutput } from '../support/captured-output.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const T0 = Date.parse('2025-03-17T14:00:00Z');
const MINUTE = 60_000;
/** 30 bars of 5 minutes with an hour's break after bar 14: tolerances count bars, not minutes. */
const bar = (i: number): Date => new Date(T0 + i * 5 * MINUTE + (i >= 15 ? 60 * MINUTE : 0));

let db: TestDatabase;
let pool: Pool;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url, { max: 2 });
  dir = mkdtempSync(join(tmpdir(), 'score-cli-'));
  for (let i = 0; i < 30; i++) {
    await pool.query(
      `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
       VALUES ('SIM.MES', $1, 100, 101, 99, 100, 1, 2, 5, '5m', true)`,
      [bar(i)],
    );
  }
  const signal = (analyzer: string, i: number, type: string) =>
    pool.query(
      `INSERT INTO detected_signals (analyzer_id, "timestamp", contract_id, timeframe, signal_type) VALUES ($1, $2, 'SIM.MES', '5m', $3)`,
      [analyzer, bar(i), type],
    );
  await signal('cus_cds_trend_finder', 3, 'uptrend_start');
  await signal('cus_cds_trend_finder', 12, 'downtrend_start');
  await signal('cus_cds_trend_finder', 25, 'uptrend_start');
  await signal('ema_cross', 4, 'buy');
  await signal('ema_cross', 10, 'sell');
  const smc = (study: string, kind: string, i: number, direction: number) =>
    pool.query(
      `INSERT INTO smc_events (study_id, contract_id, timeframe, study, kind, bar_time, bar_index, direction, level, confirmed)
       VALUES ($1, 'SIM.MES', '5m', 'bos_choch', $2, $3, $4, $5, 100, true)`,
      [study, kind, bar(i), i, direction],
    );
  await smc('s1', 'choch', 19, 1);
  await smc('s1', 'choch', 10, -1);
  await smc('s1', 'bos', 3, 1); // a BOS is no trend start
  await smc('s2', 'choch', 2, 1); // before the labelled range
  const label = (i: number, type: string, author: string) =>
    pool.query(`INSERT INTO trend_labels (contract_id, timeframe, "timestamp", label_type, author) VALUES ('SIM.MES', '5m', $1, $2, $3)`, [
      bar(i),
      type,
      author,
    ]);
  await label(3, 'uptrend_start', 'ann');
  await label(10, 'downtrend_start', 'ann');
  await label(20, 'uptrend_start', 'ann');
  await label(5, 'uptrend_start', 'bob');
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function score(argv: string[]) {
  const { stdout, stderr, text } = capturedOutput();
  const code = await runScoreCommand(argv, { stdout, stderr, db: () => Promise.resolve({ query: (t, v) => pool.query(t, [...v]) }) });
  return { code, out: text.out, err: text.err };
}

async function scoreJson(argv: string[]): Promise<ScoreResponse> {
  const r = await score([...argv, '--json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as ScoreResponse;
}

const base = ['--contract', 'SIM.MES', '--timeframe', '5m'];
const counts = (m: { tp: number; fp: number; fn: number }) => [m.tp, m.fp, m.fn];

describe('npm run analyzer -- score', () => {
  it('trend finder vs ann: exact and ±2 bars over her labelled range', async () => {
    const r = await scoreJson([...base, '--detector', 'trend', '--author', 'ann', '--k', '2']);
    expect(r).toMatchObject({ analyzer_id: 'cus_cds_trend_finder', from: bar(3).toISOString(), to: bar(20).toISOString(), bars: 18 });
    // exact: up 3 hit, up 20 missed; down 10 missed, down 12 extra (25 is after the range).
    expect(counts(r.exact.up)).toEqual([1, 0, 1]);
    expect(counts(r.exact.down)).toEqual([0, 1, 1]);
    expect(r.exact.overall).toMatchObject({ tp: 1, fp: 1, fn: 2, precision: 0.5, f1: 0.4 });
    // ±2: 12 is two bars from 10.
    expect(r.tolerant.overall).toMatchObject({ tp: 2, fp: 0, fn: 1, precision: 1, f1: 0.8 });
    expect(r.tolerant.events.filter((e) => e.source === 'label').map((e) => e.outcome)).toEqual(['hit', 'hit', 'miss']);
  });

  it('every author by default: bob’s label at 5 is one more miss', async () => {
    const r = await scoreJson([...base, '--detector', 'trend']);
    expect(counts(r.tolerant.overall)).toEqual([2, 0, 2]);
    expect(r.tolerant.k).toBe(2);
  });

  it('ema_cross reads buy/sell as up/down', async () => {
    const r = await scoreJson([...base, '--detector', 'ema_cross', '--author', 'ann', '--k', '1']);
    expect(counts(r.exact.overall)).toEqual([1, 1, 2]);
    expect(counts(r.tolerant.overall)).toEqual([2, 0, 1]);
  });

  it('smc_choch reads CHoCH rows at their swing bar, of every study or of one', async () => {
    const r = await scoreJson([...base, '--detector', 'smc_choch', '--author', 'ann', '--k', '1']);
    expect(counts(r.exact.overall)).toEqual([1, 1, 2]);
    expect(counts(r.tolerant.overall)).toEqual([2, 0, 1]);
    const s2 = await scoreJson([...base, '--detector', 'smc_choch', '--author', 'ann', '--analyzer', 's2']);
    expect(counts(s2.exact.overall)).toEqual([0, 0, 3]);
  });

  it('an explicit range scores only its labels and detections', async () => {
    const r = await scoreJson([
      ...base,
      '--detector',
      'trend',
      '--author',
      'ann',
      '--from',
      bar(8).toISOString(),
      '--to',
      bar(30).toISOString(),
      '--k',
      '0',
    ]);
    // labels 10 (down), 20 (up); detections 12 (down), 25 (up): nothing on the bar.
    expect(counts(r.exact.overall)).toEqual([0, 2, 2]);
    expect(r.tolerant).toEqual(r.exact);
  });

  it('prints a table with exact and ±k rows', async () => {
    const r = await score([...base, '--detector', 'trend', '--author', 'ann']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SIM\.MES 5m trend \(cus_cds_trend_finder\) author ann: .*18 bars, 3 labels, 2 detections$/);
    expect(lines[1]).toMatch(/^match\s+dir\s+TP\s+FP\s+FN\s+precision\s+recall\s+F1$/);
    expect(lines[4]).toMatch(/^exact\s+all\s+1\s+1\s+2\s+50\.0%\s+33\.3%\s+40\.0%$/);
    expect(lines[7]).toMatch(/^±2\s+all\s+2\s+0\s+1\s+100\.0%\s+66\.7%\s+80\.0%$/);
  });

  it.each([
    [['--detector', 'trend', '--timeframe', '5m'], /missing --contract/],
    [[...base, '--detector', 'macd'], /--detector: 'macd' is not one of trend, ema_cross, smc_choch/],
    [[...base, '--detector', 'trend', '--k', '-1'], /--k|option/],
    [[...base, '--detector', 'trend', '--k', 'x'], /--k: must be a whole number/],
    [[...base, '--detector', 'trend', '--from', 'soon'], /--from: 'soon'/],
    [[...base, '--detector', 'trend', '--wat'], /Unknown option '--wat'/],
    [['--contract', 'X', '--timeframe', '5q', '--detector', 'trend'], /--timeframe: '5q'/],
  ])('%j → usage and exit 2', async (argv, message) => {
    const r = await score(argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/usage: npm run analyzer -- score/);
  });

  it('--help prints the usage and exits 0', async () => {
    const r = await score(['--help']);
    expect([r.code, r.out.startsWith('usage: npm run analyzer -- score')]).toEqual([0, true]);
  });
});

async function labels(argv: string[]) {
  const { stdout, stderr, text } = capturedOutput();
  const code = await runLabelsCommand(argv, { stdout, stderr, pool: () => Promise.resolve(pool) });
  return { code, out: text.out, err: text.err };
}

describe('npm run analyzer -- labels', () => {
  it('exports labels as CSV and imports them into another contract, replacing a bar’s label per author', async () => {
    const file = join(dir, 'labels.csv');
    const out = await labels(['export', ...base, '--author', 'ann', '--file', file]);
    expect(out).toMatchObject({ code: 0, out: `exported 3 labels to ${file}\n` });
    const csv = readFileSync(file, 'utf8');
    expect(csv.split('\n').slice(0, 2)).toEqual([
      'contract_id,timeframe,timestamp,label_type,author,created_at',
      expect.stringMatching(/^SIM\.MES,5m,2025-03-17 14:15:00\+00:00,uptrend_start,ann,/),
    ]);
    writeFileSync(file, csv.replaceAll('SIM.MES', 'SIM.MNQ'));
    expect(await labels(['import', '--file', file])).toMatchObject({ code: 0, out: `imported 3 labels from ${file}\n` });
    writeFileSync(file, `contract_id,timeframe,timestamp,label_type,author\nSIM.MNQ,5m,${bar(3).toISOString()},downtrend_start,ann\n`);
    expect((await labels(['import', '--file', file])).code).toBe(0);
    const { rows } = await pool.query<{ label_type: string }>(
      `SELECT label_type FROM trend_labels WHERE contract_id = 'SIM.MNQ' ORDER BY "timestamp"`,
    );
    expect(rows.map((r) => r.label_type)).toEqual(['downtrend_start', 'downtrend_start', 'uptrend_start']);
  });

  it('a file with a bad row stores nothing and names the line and column; a missing file exits 1', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      `contract_id,timeframe,timestamp,label_type\nSIM.MGC,5m,${bar(1).toISOString()},uptrend_start\nSIM.MGC,5m,${bar(2).toISOString()},sideways\n`,
    );
    const r = await labels(['import', '--file', file]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nothing imported/);
    expect(r.err).toMatch(/line 3: label_type: must be uptrend_start or downtrend_start/);
    expect((await pool.query(`SELECT 1 FROM trend_labels WHERE contract_id = 'SIM.MGC'`)).rowCount).toBe(0);
    const other = await labels(['import', '--file', file.replace('bad', 'x'), '--contract', 'A']);
    expect(other.code).toBe(1);
  });

  it('refuses rows of another contract than --contract, and bad arguments with exit 2', async () => {
    const file = join(dir, 'other.csv');
    writeFileSync(file, `contract_id,timeframe,timestamp,label_type\nSIM.MGC,5m,${bar(1).toISOString()},uptrend_start\n`);
    const r = await labels(['import', '--file', file, '--contract', 'SIM.MES']);
    expect([r.code, r.err.includes('line 2: contract_id/timeframe: SIM.MGC 5m is not the --contract/--timeframe given')]).toEqual([
      1,
      true,
    ]);
    expect((await labels(['export', '--contract', 'SIM.MES'])).code).toBe(2);
    expect((await labels(['rename'])).code).toBe(2);
    expect((await labels(['import'])).err).toMatch(/missing --file/);
  });
});

describe('through npm run analyzer', () => {
  /** The real entry point, with a config and database that do not exist: help and usage errors touch neither. */
  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/analyzer.ts', ...args], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, BARSTREAM_CONFIG: join(dir, 'none.yaml'), DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      });
      return { code: 0, out: stdout, err: stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout, err: e.stderr };
    }
  }

  it('score --help and labels --help print their usage and exit 0; a usage error exits 2', async () => {
    expect(await cli(['score', '--help'])).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^usage: npm run analyzer -- score/) as unknown,
      err: '',
    });
    expect(await cli(['labels', '--help'])).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^usage: npm run analyzer -- labels export/) as unknown,
    });
    expect(await cli(['score', '--contract', 'X'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^missing --timeframe, --detector/) as unknown,
    });
  });
});
