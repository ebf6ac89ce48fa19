// `npm run analyzer -- export-study`: the EURUSD known-answer input stored as bars, each study exported
// with the file's parameters, equals the library's own output file — byte for byte where the library
// prints doubles, and after rounding both sides to float32 in its float32 columns (its files print
// those in short float32 text; ../shared/data/smc-eurusd/README.md). Bad arguments name the option.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractBar, SmcStudy } from '../../core/src/index.ts';
import { createPool, type Pool } from '../../core/src/node/db-pool.ts';
import { writeFlush } from '../../ingester/src/bar-store.ts';
import { runExportStudy } from '../../analyzer/src/commands/export-study.ts';
import { hasSmcEurusd, readNumberColumns, SMC_EURUSD_DIR } from '../support/smc-shared-data.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const CONTRACT = 'EURUSD.KA';
let db: TestDatabase;
let pool: Pool;
let dir: string;

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runExportStudy(argv, () => Promise.resolve(pool), { log: (t) => (out += `${t}\n`), error: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

/** `2022.10.10 00:15:00` (the file's UTC text) → epoch ms. */
const eurusdTime = (text: string): number => Date.parse(`${text.slice(0, 10).replaceAll('.', '-')}T${text.slice(11)}Z`);

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url);
  dir = mkdtempSync(join(tmpdir(), 'export-study-'));
  if (!hasSmcEurusd) return;
  const input = readNumberColumns('EURUSD_15M.csv');
  const dates = readFileSync(`${SMC_EURUSD_DIR}EURUSD_15M.csv`, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => eurusdTime(l.split(',')[0]!));
  const bars: ContractBar[] = dates.map((time, i) => ({
    time,
    open: input.Open![i]!,
    high: input.High![i]!,
    low: input.Low![i]!,
    close: input.Close![i]!,
    volume: input.Volume![i]!,
    contractId: CONTRACT,
    unit: 2,
    value: 15,
    isClosed: true,
  }));
  for (let i = 0; i < bars.length; i += 5000) await writeFlush(pool, bars.slice(i, i + 5000), []);
}, 300_000);
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** The library's float32 columns (README of the data). */
const FLOAT32: Partial<Record<SmcStudy, readonly string[]>> = {
  bos_choch: ['Level'],
  ob: ['Top', 'Bottom', 'OBVolume', 'Percentage'],
  liquidity: ['Liquidity', 'Level', 'End', 'Swept'],
};

const CASES: { study: SmcStudy; file: string; args: string[] }[] = [
  { study: 'fvg', file: 'fvg_result_data.csv', args: ['--join-consecutive', 'false'] },
  { study: 'fvg', file: 'fvg_consecutive_result_data.csv', args: ['--join-consecutive', 'true'] },
  { study: 'swing_highs_lows', file: 'swing_highs_lows_result_data.csv', args: ['--swing-length', '5'] },
  { study: 'bos_choch', file: 'bos_choch_result_data.csv', args: ['--swing-length', '5', '--close-break', 'true'] },
  { study: 'ob', file: 'ob_result_data.csv', args: ['--swing-length', '5', '--close-mitigation', 'false'] },
  { study: 'liquidity', file: 'liquidity_result_data.csv', args: ['--swing-length', '5', '--range-percent', '0.01'] },
];

describe.skipIf(!hasSmcEurusd)('export-study reproduces the smartmoneyconcepts 0.0.27 known-answer files', () => {
  for (const { study, file, args } of CASES) {
    it(`${study} ${args.join(' ')} = ${file}`, async () => {
      const out = join(dir, file);
      const r = await run(['--study', study, '--contract', CONTRACT, '--timeframe', '15m', ...args, '--out', out]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const ours = readFileSync(out, 'utf8').split('\n');
      const theirs = readFileSync(`${SMC_EURUSD_DIR}${file}`, 'utf8').replace(/\r\n/g, '\n').split('\n');
      expect(ours.length).toBe(theirs.length);
      expect(ours.length).toBe(24_424 + 2); // header, a line per bar, the final newline
      expect(ours[1]).toMatch(/^2022-10-10T00:00:00\.000Z,/);
      const f32 = FLOAT32[study] ?? [];
      const header = theirs[0]!.split(',');
      expect(ours[0]).toBe(`timestamp,${theirs[0]}`);
      const bad: string[] = [];
      for (let k = 1; k < theirs.length && bad.length < 5; k++) {
        const mine = ours[k]!.slice(ours[k]!.indexOf(',') + 1);
        if (f32.length === 0) {
          if (mine !== theirs[k]) bad.push(`line ${k}: ours ${mine} library ${theirs[k]}`);
          continue;
        }
        const a = mine.split(',');
        const b = theirs[k]!.split(',');
        header.forEach((name, c) => {
          const x = a[c] === '' ? NaN : Number(a[c]);
          const y = b[c] === '' ? NaN : Number(b[c]);
          const same = f32.includes(name) ? Object.is(Math.fround(x), Math.fround(y)) : a[c] === b[c];
          if (!same) bad.push(`line ${k} ${name}: ours ${a[c]} library ${b[c]}`);
        });
      }
      expect(bad).toEqual([]);
    }, 120_000);
  }
});

describe('export-study arguments', () => {
  it('names the bad option and exits 2', async () => {
    const bad = await run(['--study', 'fgv', '--contract', 'X', '--timeframe', '5m', '--out', join(dir, 'x.csv')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^--study: expected one of fvg, swing_highs_lows, bos_choch, ob, liquidity/);
    const flag = await run(['--study', 'fvg', '--contract', 'X', '--timeframe', '5m', '--close-break', 'yes', '--out', join(dir, 'x.csv')]);
    expect(flag.err).toMatch(/^--close-break: expected true or false/);
    const length = await run([
      '--study',
      'fvg',
      '--contract',
      'X',
      '--timeframe',
      '5m',
      '--swing-length',
      '0',
      '--out',
      join(dir, 'x.csv'),
    ]);
    expect(length.err).toMatch(/^--swing-length: /);
  });

  it('exits 1 with one line when nothing is stored', async () => {
    const r = await run(['--study', 'fvg', '--contract', 'NONE', '--timeframe', '5m', '--out', join(dir, 'none.csv')]);
    expect(r).toEqual({ code: 1, out: '', err: 'no closed 5m bars of NONE stored\n' });
  });
});
