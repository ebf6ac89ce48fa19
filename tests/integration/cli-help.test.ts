// `--help` on every command a user runs by hand prints its usage on stdout and exits 0 without side
// effects: no config read (BARSTREAM_CONFIG points at nothing, which any config load would refuse), no
// database opened (DATABASE_URL points at a closed port), no file written.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const sandbox = mkdtempSync(join(tmpdir(), 'barstream-help-'));
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

const COMMANDS: ReadonlyArray<[string, string, RegExp]> = [
  ['import', 'scripts/import-bars.ts', /^Imports bar CSV files[\s\S]*usage: npm run import -- <file\.csv>/],
  ['export', 'scripts/export-bars.ts', /^Exports closed bars[\s\S]*usage: npm run export -- --contract[\s\S]*--signals/],
  ['download', 'scripts/download-historical.ts', /usage: npm run download -- --contracts/],
  ['analyzer', 'scripts/analyzer.ts', /^usage: npm run analyzer -- reset --analyzer/],
  ['keys', 'scripts/keys.ts', /^usage: npm run keys -- create --name <name> --scope read\|write/],
];

// The cases run at once, each a process of its own.
describe.concurrent('--help', () => {
  it.each(COMMANDS)('npm run %s -- --help prints the usage and exits 0, touching nothing', async (_name, script, usage) => {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', script, '--help'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        BARSTREAM_CONFIG: join(sandbox, 'config', 'settings.yaml'),
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        BARSTREAM_DATA_DIR: join(sandbox, 'data'),
      },
    });
    expect(stdout).toMatch(usage);
    expect(stderr).toBe('');
    expect(readdirSync(sandbox)).toEqual([]);
  });
});
