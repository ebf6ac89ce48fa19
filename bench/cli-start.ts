// `npm run bench:cli`: what a command line costs before it does anything. For each command: `--help`
// (wall and CPU), and a real run up to its first real work — reading its settings: BARSTREAM_CONFIG names
// a file that does not exist, so every command stops there with exit 1 after loading what it runs with —,
// beside the floors: Node alone, and tsx with an empty file. CPU is the child's own (reaped-children time,
// bench/lib/process-cpu.ts), which hardly depends on the load; wall times do. Each figure is the median of
// BENCH_RUNS (default 5) runs, taken round-robin over the commands. BENCH_CLI_ROOTS=/old,/new runs every
// command in each checkout in turn (interleaved A/B pairs: an old tree from `git archive` with the
// node_modules beside it). BENCH_ONLY=help skips the real runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median } from './lib/median.ts';
import { reapedChildrenCpuMs } from './lib/process-cpu.ts';
import { figure, printLoad, printMachine } from './lib/report.ts';

interface Command {
  readonly name: string;
  /** Relative to the checkout; run as `node --import tsx FILE`, as package.json's scripts do. */
  readonly file: string;
  readonly help: readonly string[];
  /** Arguments of a real run (it stops at the missing settings file); undefined: not run (build). */
  readonly run: readonly string[] | undefined;
}

const cmd = (name: string, file: string, run: readonly string[] | undefined, help: readonly string[] = ['--help']): Command => ({
  name,
  file,
  help,
  run,
});

const COMMANDS: readonly Command[] = [
  cmd('npm start', 'scripts/start.ts', []),
  cmd('npm run migrate', 'scripts/migrate.ts', []),
  cmd('npm run db', 'scripts/database.ts', []),
  cmd('ingester', 'ingester/src/main.ts', []),
  cmd('analyzer (service)', 'analyzer/src/main.ts', []),
  cmd('broadcaster', 'broadcaster/src/main.ts', []),
  cmd('alerter', 'alerter/src/main.ts', []),
  cmd('trader', 'trader/src/main.ts', []),
  cmd('web', 'web/scripts/start-server.ts', []),
  cmd('npm run backtest', 'scripts/backtest.ts', ['--strategy', 'config/strategies/mes-ema-cross.yaml']),
  cmd('npm run import', 'scripts/import-bars.ts', ['bench-no-such-file.csv']),
  cmd('npm run export', 'scripts/export-bars.ts', ['--contract', 'X', '--timeframe', '5m']),
  cmd('npm run download', 'scripts/download-historical.ts', ['--contracts', 'BTCUSDT', '--start-date', '2025-01-02']),
  cmd('npm run analyzer', 'scripts/analyzer.ts', ['reset', '--analyzer', 'a', '--contract', 'c', '--timeframe', '5m']),
  cmd(
    'npm run analyzer',
    'scripts/analyzer.ts',
    ['score', '--contract', 'c', '--timeframe', '5m', '--detector', 'trend'],
    ['score', '--help'],
  ),
  cmd('npm run analyzer', 'scripts/analyzer.ts', undefined, ['labels', '--help']),
  cmd('npm run keys', 'scripts/keys.ts', ['list']),
  cmd('npm run build', 'scripts/build.ts', undefined),
];

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
}

const runs = Number(process.env.BENCH_RUNS ?? 5);
const roots = (process.env.BENCH_CLI_ROOTS ?? resolve(import.meta.dirname, '..')).split(',').map((r) => resolve(r));
const withRuns = process.env.BENCH_ONLY !== 'help';
const sandbox = mkdtempSync(join(tmpdir(), 'barstream-bench-cli-'));
const emptyFile = join(sandbox, 'empty.ts');
writeFileSync(emptyFile, '');
// Nothing a command could start or write: settings that do not exist, a database on a closed port.
const env = {
  ...process.env,
  BARSTREAM_CONFIG: join(sandbox, 'no-config', 'settings.yaml'),
  DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
  BARSTREAM_DATA_DIR: join(sandbox, 'data'),
};

/** One run; throws when the command did not end as expected (help: 0, a real run: 1 at the settings). */
function measure(root: string, args: readonly string[], expected: number, label: string): Sample {
  const cpuBefore = reapedChildrenCpuMs();
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
  const wallMs = performance.now() - started;
  const cpuMs = reapedChildrenCpuMs() - cpuBefore;
  if (child.status !== expected) {
    throw new Error(`${label} in ${root}: exit ${child.status ?? child.signal}, expected ${expected}: ${child.stderr.slice(0, 300)}`);
  }
  return { wallMs, cpuMs };
}

interface Case {
  readonly key: string;
  /** A command's --help (summed up per checkout at the end). */
  readonly help?: boolean;
  readonly root: string;
  readonly args: readonly string[];
  readonly expected: number;
}

const cases: Case[] = [
  { key: 'floor: node -e 0', root: roots[0] as string, args: ['-e', '0'], expected: 0 },
  { key: 'floor: tsx, an empty file', root: roots[0] as string, args: ['--import', 'tsx', emptyFile], expected: 0 },
];
for (const root of roots) {
  for (const c of COMMANDS) {
    const at = roots.length > 1 ? ` [${root}]` : '';
    cases.push({
      key: `${c.name} -- ${c.help.join(' ')}${at}`,
      help: true,
      root,
      args: ['--import', 'tsx', c.file, ...c.help],
      expected: 0,
    });
    if (withRuns && c.run)
      cases.push({
        key: `${c.name}${c.help.length > 1 ? ` -- ${c.help[0]}` : ''}: a real run to its settings${at}`,
        root,
        args: ['--import', 'tsx', c.file, ...c.run],
        expected: 1,
      });
  }
}

printMachine('command line start-up: --help, and a real run up to reading its settings (median of each)');
printLoad('before');
// One warm-up of each (tsx's transform cache), not counted.
for (const c of cases) measure(c.root, c.args, c.expected, c.key);
const samples = new Map<string, Sample[]>(cases.map((c) => [c.key, []]));
for (let i = 0; i < runs; i++) for (const c of cases) samples.get(c.key)?.push(measure(c.root, c.args, c.expected, c.key));
rmSync(sandbox, { recursive: true, force: true });

for (const c of cases) {
  const s = samples.get(c.key) ?? [];
  const cpu = median(s.map((x) => x.cpuMs));
  const wall = median(s.map((x) => x.wallMs));
  figure(c.key, cpu / 1000, 's CPU', `wall ${(wall / 1000).toFixed(2)} s, ${runs} runs`);
}
// What a --help costs beyond tsx's own start-up, per checkout: the median over the commands.
const tsxFloor = median(samples.get(cases[1]?.key ?? '')?.map((x) => x.cpuMs) ?? []);
for (const root of roots) {
  const helps = cases.filter((c) => c.help && c.root === root).map((c) => median(samples.get(c.key)?.map((x) => x.cpuMs) ?? []));
  const at = roots.length > 1 ? ` [${root}]` : '';
  figure(
    `--help, median of the commands${at}`,
    median(helps) / 1000,
    's CPU',
    `${((median(helps) - tsxFloor) / 1000).toFixed(2)} s above tsx's empty file`,
  );
}
printLoad('after');
