// bench:ingest's warm figure for one contract count (ingest8, ingest9): --rounds rounds of the pipeline process and
// its COPY floor back to back, each after the same warm-up ticks, and the median round.
import type { Trade } from '../core/src/index.ts';
import { copyFloor } from './ingest-copy-floor.ts';
import { GAP_MS, ROUNDS, TICKS, WARMUP_TICKS } from './ingest-options.ts';
import { TickNotifyListener } from './ingest-notify-listener.ts';
import type { IngestRunResult } from './ingest-pipeline-process.ts';
import { resetTables, runPipeline } from './ingest-pipeline-run.ts';
import { medianRound, type WarmThroughput } from './ingest-throughput-report.ts';
import { warmupTicks } from './ingest-warmup.ts';
import { cpuPerTick, serverCpuMsChecked } from './lib/process-cpu.ts';

export interface WarmRoundsOptions {
  readonly url: string;
  readonly contracts: number;
  /** The measured ticks, for the floor (the pipeline's load generator makes the same). */
  readonly floorTicks: readonly Trade[];
  /** Market time of the first measured tick: the warm-up's ticks are the ones just before. */
  readonly start: number;
  /** The embedded server's postmaster: the database's CPU in each window. */
  readonly postmaster: number | undefined;
}

/** The warm run: the pipeline takes WARMUP_TICKS first, then the measured ticks; the floor COPYs the same
 * warm-up ticks first, unmeasured. Every figure is the window's (the pipeline's, the floor's COPY alone). */
async function warmRun(o: WarmRoundsOptions, floorFirst: boolean): Promise<WarmThroughput> {
  const { url, contracts, floorTicks, start, postmaster } = o;
  const pipelineSide = async (): Promise<IngestRunResult> => {
    await resetTables(url);
    // A LISTENing connection as in the cold run (the broadcaster's in production): PostgreSQL's delivery work is the same.
    const listener = await TickNotifyListener.listen(url);
    const run = await runPipeline(
      url,
      { mode: 'flood', contracts, ticks: TICKS, warmupTicks: WARMUP_TICKS, meanGapMs: GAP_MS },
      { postmaster },
    );
    await listener.received(WARMUP_TICKS + run.ticks);
    await listener.close();
    return run;
  };
  const floorSide = async (): Promise<{ floor: number; floorDbMicrosPerTick: number | 'failed' | undefined }> => {
    await resetTables(url);
    const warmup = warmupTicks({ contracts, meanGapMs: GAP_MS, start }, WARMUP_TICKS);
    let before: number | undefined;
    let after: number | undefined;
    const floor = await copyFloor(url, floorTicks, 'binary', warmup, {
      start: () => (before = postmaster === undefined ? undefined : serverCpuMsChecked(postmaster)),
      end: () => (after = postmaster === undefined ? undefined : serverCpuMsChecked(postmaster)),
    });
    return { floor, floorDbMicrosPerTick: postmaster === undefined ? undefined : cpuPerTick(before, after, floorTicks.length) };
  };
  if (floorFirst) {
    const floor = await floorSide();
    return { run: await pipelineSide(), ...floor };
  }
  const run = await pipelineSide();
  return { run, ...(await floorSide()) };
}

/** --rounds R warm rounds, each the pipeline and its floor back to back (the order alternating, so that a drift of
 * the host's speed falls on both sides): the median round's figures, every round's share beside them. On this VM a
 * single round's share moved by ±8 points from run to run, the floor's speed with it. */
export async function warmRounds(o: WarmRoundsOptions): Promise<WarmThroughput> {
  const rounds: WarmThroughput[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await warmRun(o, r % 2 === 1));
  return medianRound(rounds);
}
