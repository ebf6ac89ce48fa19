// bench:ingest's pipeline runs: one run of bench/ingest-pipeline-process.ts (which starts the load generator) in a
// process of its own, with the ingester's Node flags and the bench's diagnostic flags, read back from its last JSON
// line; and the tables emptied between runs.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { INGESTER_NODE_FLAGS } from '../ingester/src/node-flags.ts';
import { flags } from './ingest-options.ts';
import type { LoadGeneratorOptions } from './ingest-load-generator.ts';
import type { IngestRunResult } from './ingest-pipeline-process.ts';

export interface PipelineRunOptions {
  /** The embedded server's postmaster: the pipeline reads the database's CPU in its own window. */
  readonly postmaster?: number | undefined;
  /** Every flush checks the lease fence (bench/ingest-fence-pairs.ts). */
  readonly fence?: boolean;
  /** Where the paced run's flush trace goes (--latency-trace). */
  readonly flushTrace?: string;
}

/** Empties what a run wrote, checkpoints, and has the kernel write out every dirty page (`sync`), so that
 * every run starts from the same table on a settled disk: the floods leave GBs of dirty pages (the COPY floors'
 * too, and the truncated tables' files). It was added for a WAL fsync stall in the middle of a paced run; that
 * stall came back after it and is the virtual disk's own (a bare write + fdatasync loop sees it too:
 * lib/fsync-probe.ts, docs/BENCHMARKS.md "ingest10 session"). */
export async function resetTables(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('TRUNCATE ticks, ohlc_bars');
  await client.query('CHECKPOINT');
  await client.end();
  spawnSync('sync');
}

/** One run of bench/ingest-pipeline-process.ts (which starts the load generator) to completion. */
export async function runPipeline(url: string, gen: LoadGeneratorOptions, options: PipelineRunOptions = {}): Promise<IngestRunResult> {
  const { postmaster, fence = false, flushTrace } = options;
  const profileDir = flags['cpu-prof-dir'];
  // A warm run's profile is its window's alone (bench/ingest-measured-window.ts); a cold run's, the whole process's.
  const windowProfile = profileDir !== undefined && gen.mode === 'flood' && (gen.warmupTicks ?? 0) > 0;
  const child = spawn(
    process.execPath,
    [
      ...INGESTER_NODE_FLAGS,
      ...(profileDir && !windowProfile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ...(flags['node-flags'] ?? '').split(' ').filter(Boolean),
      '--import',
      'tsx',
      fileURLToPath(new URL('./ingest-pipeline-process.ts', import.meta.url)),
    ],
    {
      env: {
        ...process.env,
        BENCH_URL: url,
        BENCH_GEN: JSON.stringify(gen),
        BENCH_PARSE_IN_WORKER: flags['parse-in-worker'] ? '1' : '0',
        ...(flags['heap-prof-dir'] ? { BENCH_HEAP_PROF_DIR: flags['heap-prof-dir'] } : {}),
        BENCH_FENCE: fence ? '1' : '0',
        ...(windowProfile ? { BENCH_CPU_PROF_WINDOW: profileDir } : {}),
        // The database server's CPU read in the pipeline's own window (the warm run's figure).
        ...(postmaster === undefined ? {} : { BENCH_POSTMASTER_PID: String(postmaster) }),
        ...(flushTrace ? { BENCH_FLUSH_TRACE: flushTrace } : {}),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  // A diagnostic: what the pipeline process printed besides its result (e.g. --node-flags "--trace-gc"), appended here.
  if (process.env.BENCH_PIPELINE_STDOUT) appendFileSync(process.env.BENCH_PIPELINE_STDOUT, `### ${JSON.stringify(gen)}\n${out}`);
  if (code !== 0) throw new Error(`pipeline process failed (exit ${code}): ${out}`);
  // The last JSON line: a diagnostic flag (--trace-gc) may print after it.
  const result = out
    .split('\n')
    .reverse()
    .find((line) => line.startsWith('{'));
  return JSON.parse(result ?? '{}') as IngestRunResult;
}
