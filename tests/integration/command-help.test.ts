// `--help` on every command prints its usage and exits 0 without starting or creating anything.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freeStackPorts, stackEnv } from '../support/stack-env.ts';

const ROOT = join(import.meta.dirname, '../..');
const COMMANDS: ReadonlyArray<[string, string, string]> = [
  ['npm start', 'scripts/start.ts', 'Usage: npm start'],
  ['npm run migrate', 'scripts/migrate.ts', 'Usage: npm run migrate'],
  ['npm run db', 'scripts/database.ts', 'Usage: npm run db'],
  ['ingester', 'ingester/src/main.ts', 'Usage: npm run start -w ingester'],
  ['analyzer', 'analyzer/src/main.ts', 'Usage: npm run start -w analyzer'],
  ['broadcaster', 'broadcaster/src/main.ts', 'Usage: npm run start -w broadcaster'],
  ['alerter', 'alerter/src/main.ts', 'Usage: npm run alerter'],
  ['trader', 'trader/src/main.ts', 'Usage: npm run start -w trader'],
  ['web', 'web/scripts/start-server.ts', 'Usage: npm run start -w web'],
  ['backtest', 'scripts/backtest.ts', 'usage: npm run backtest -- --strategy'],
];

const dir = mkdtempSync(join(tmpdir(), 'barstream-help-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a command to its end; the cases run at once (each a process of its own), not one after another. */
function commandRun(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: ROOT, env, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = (err as { code?: unknown } | null)?.code;
      resolve({ status: err ? (typeof code === 'number' ? code : null) : 0, stdout, stderr });
    });
  });
}

async function isolatedEnv(): Promise<NodeJS.ProcessEnv> {
  return stackEnv(await freeStackPorts(), join(dir, 'postgres'));
}

describe.concurrent('--help', () => {
  it.each(COMMANDS)('%s prints its usage and exits 0, creating nothing', async (_name, file, usage) => {
    const run = await commandRun(process.execPath, ['--import', 'tsx', join(ROOT, file), '--help'], await isolatedEnv());
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]?.startsWith(usage)).toBe(true);
    expect(run.stdout).toContain('config/settings.yaml');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('works through npm: npm start -- --help', async () => {
    const run = await commandRun('npm', ['start', '--silent', '--', '--help'], await isolatedEnv());
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: npm start');
    expect(readdirSync(dir)).toEqual([]);
  });

  // `npm run alerter` runs `npm run start -w alerter --`: without the trailing `--` the inner npm took
  // --help (and any flag) as its own, printed npm's help and, for other flags, started the alerter.
  it('reaches the command through a script that runs another: npm run alerter -- --help / --bogus', async () => {
    const help = await commandRun('npm', ['run', '--silent', 'alerter', '--', '--help'], await isolatedEnv());
    expect(help.status).toBe(0);
    expect(help.stdout.split('\n')[0]?.startsWith('Usage: npm run alerter')).toBe(true);
    const bad = await commandRun('npm', ['run', '--silent', 'alerter', '--', '--bogus'], await isolatedEnv());
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^unknown argument "--bogus"\n\nUsage: npm run alerter/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an unknown argument is refused with the usage (exit 2), nothing started', async () => {
    const run = await commandRun(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts/database.ts'), '--port', '5'],
      await isolatedEnv(),
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^unknown argument "--port"\n\nUsage: npm run db\n/);
    expect(existsSync(join(dir, 'postgres'))).toBe(false);
  });
});
