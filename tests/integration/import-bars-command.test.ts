// npm run import, the command: good files written, bad ones refused with their lines listed, missing
// ones named, and exit 1 if any file was not written; on a real PostgreSQL.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseImportArgs } from '../../scripts/lib/history/import-args.ts';
import { runImport } from '../../scripts/lib/history/import-command.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { capturedOutput } from '../support/captured-output.ts';
import { count, db, dir, file, HEADER, row, T0, useBarImportFixture } from '../support/bar-import-fixture.ts';

useBarImportFixture();

describe('npm run import (the command)', () => {
  async function runCli(argv: string[]) {
    const { stdout, stderr, text } = capturedOutput();
    const settings = parseSettings({
      database: { url: db.url },
      contracts: [{ id: 'SIM.MES', provider: 'simulated', symbol: 'SIM.MES', tick_size: 0.25, session_calendar: 'utc' }],
      ingester: { contracts: ['SIM.MES'] },
    });
    const code = await runImport(parseImportArgs(argv), { settings, rootDir: process.cwd(), stdout, stderr });
    return { code, out: text.out, err: text.err };
  }

  it('imports good files, refuses bad ones with their lines listed, and exits 1 if any file was not written', async () => {
    const good = file('good.csv', [HEADER, row('C.X', T0, 10, 11, 9, 10.5, 1)].join('\n'));
    const bad = file(
      'broken.csv',
      [HEADER, row('C.X', T0 + 300_000, 10, 11, 9, 10.5, 1), 'C.X,2025-03-17 14:10:00+00:00,10,11,9,10.5,1,2'].join('\n'),
    );
    const result = await runCli([good, bad, join(dir, 'missing.csv')]);
    expect(result.code).toBe(1);
    const lines = result.out.trim().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^${good.replace(/[.\\/]/g, '\\$&')} \\(barstream\\): 1 bars → inserted 1, updated 0, unchanged 0 in `),
    );
    expect(lines[1]).toBe(`${bad} (barstream): 1 bad row(s); nothing written (fix the file, or pass --skip-bad-rows to write the other 1)`);
    expect(lines[2]).toBe('  line 3: expected 9 fields, found 8');
    expect(result.err.trim().split('\n')).toEqual([`file not found: ${join(dir, 'missing.csv')}`]);
    expect(await count()).toBe(1);
    expect((await runCli([bad, '--skip-bad-rows'])).code).toBe(0);
    expect(await count()).toBe(2);
  });
});
