// bench:ingest's throughput section for one contract count: the warm figure first (the headline
// `ingest / COPY floor: NN%`), the cold one beside it, then each cold line under the name it had before the
// warm-up (ingest8) with its warm twin after it (bench/ingest.ts's header says what each run is).
import type { IngestRunResult } from './ingest-pipeline-process.ts';
import { figure } from './lib/report.ts';

/** A database CPU figure: undefined when the server runs elsewhere, 'failed' when /proc gave no consistent read. */
export type DbCpu = number | 'failed' | undefined;

export const perTick = (ms: number, ticks: number): number => (ms * 1000) / ticks;
export const dbPerTick = (ms: DbCpu, ticks: number): DbCpu => (typeof ms === 'number' ? perTick(ms, ticks) : ms);

/** A fresh pipeline process's first ticks into an empty table, and the floors on the same ticks. */
export interface ColdThroughput {
  readonly run: IngestRunResult;
  readonly floor: number;
  readonly textFloor: number;
  readonly dbMicrosPerTick: DbCpu;
  readonly floorDbMicrosPerTick: DbCpu;
  readonly listenerMicrosPerTick: number;
  readonly tickNotifies: number;
  readonly ticksDelivered: number;
}

/** The same ticks after the warm-up, on both sides (bench/ingest-warmup.ts). */
export interface WarmThroughput {
  readonly run: IngestRunResult;
  readonly floor: number;
  readonly floorDbMicrosPerTick: DbCpu;
  /** Every round's ingest / COPY floor, in %, in the order run (this one is the median round). */
  readonly rounds?: readonly number[];
}

/** ingest / COPY floor of a warm round, in %. */
export const warmShare = (w: WarmThroughput): number => (100 * w.run.ticks) / w.run.seconds / w.floor;

/** The median round by its share (the lower middle one of an even count). */
export function medianRound(rounds: readonly WarmThroughput[]): WarmThroughput {
  const sorted = [...rounds].sort((a, b) => warmShare(a) - warmShare(b));
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!median) throw new Error('medianRound: no rounds');
  return { ...median, rounds: rounds.map((r) => Math.round(warmShare(r))) };
}

export function printThroughput(
  contracts: number,
  size: { ticks: number; warmupTicks: number; gapMs: number },
  cold: ColdThroughput,
  warm: WarmThroughput | undefined,
): void {
  const { run, floor, textFloor, dbMicrosPerTick, floorDbMicrosPerTick, listenerMicrosPerTick } = cold;
  const rate = run.ticks / run.seconds;
  const marketHours = (size.ticks / contracts) * (size.gapMs / 3_600_000);
  const warmHours = (size.warmupTicks / contracts) * (size.gapMs / 3_600_000);
  console.log(
    `\n## ${contracts} contract${contracts > 1 ? 's' : ''}: ${size.ticks.toLocaleString('en-US')} ticks, ${marketHours.toFixed(1)} market hours each` +
      (warm
        ? `; warm after ${size.warmupTicks.toLocaleString('en-US')} warm-up ticks (the ${warmHours.toFixed(1)} market hours before)`
        : ''),
  );
  const share = (ingest: number, of: number): number => Math.round((100 * ingest) / of);
  if (warm) {
    const warmRate = warm.run.ticks / warm.run.seconds;
    const rounds = warm.rounds && warm.rounds.length > 1 ? `; median of ${warm.rounds.length} rounds: ${warm.rounds.join(' / ')} %` : '';
    console.log(
      `ingest / COPY floor: ${share(warmRate, warm.floor)}% (${contracts} contracts; warm: both after the warm-up's ticks${rounds})`,
    );
    console.log(
      `ingest / COPY floor, cold: ${share(rate, floor)}% (${contracts} contracts; a fresh process's first ticks, into an empty table)`,
    );
  } else
    console.log(
      `ingest / COPY floor, cold: ${share(rate, floor)}% (${contracts} contracts; a fresh process's first ticks, into an empty table)`,
    );
  // Below: the cold run's figures under the names they had before the warm-up (ingest8), each warm one beside it.
  figure('ingest (bars, ticks, NOTIFY)', rate, 'ticks/s', `cold; ${run.barsWritten.toLocaleString('en-US')} bar upserts`);
  if (warm)
    figure('ingest, warm', warm.run.ticks / warm.run.seconds, 'ticks/s', `${warm.run.barsWritten.toLocaleString('en-US')} bar upserts`);
  figure('COPY floor (same ticks, one connection)', floor, 'ticks/s', 'binary, as the ingester sends them; cold: empty table');
  if (warm) figure('COPY floor, warm', warm.floor, 'ticks/s', "after the warm-up's ticks, COPYed unmeasured");
  // Sessions up to 7 printed the text floor (the ingester then sent text): kept for comparison.
  figure('COPY floor, text format', textFloor, 'ticks/s', `ingest / it: ${share(rate, textFloor)}%, cold`);
  const mainNote = (r: IngestRunResult): string => `all threads; main thread ${perTick(r.mainThreadCpuMs, r.ticks).toFixed(2)}`;
  figure('Node CPU of the pipeline process', perTick(run.nodeCpuMs, run.ticks), 'µs/tick', `cold; ${mainNote(run)}`);
  if (warm) figure('Node CPU of the pipeline process, warm', perTick(warm.run.nodeCpuMs, warm.run.ticks), 'µs/tick', mainNote(warm.run));
  // It shares the machine's cores with the pipeline and PostgreSQL (its warm-up ticks made before the window).
  figure(
    "CPU of the load generator's process",
    perTick(run.generatorCpuMs, run.ticks),
    'µs/tick',
    warm ? `cold; warm ${perTick(warm.run.generatorCpuMs, warm.run.ticks).toFixed(2)}` : 'cold',
  );
  const failed = 'read failed (/proc gave no consistent figure), not measured';
  const dbFigure = (name: string, value: number | 'failed', note = ''): void =>
    figure(name, value === 'failed' ? failed : value, value === 'failed' ? '' : 'µs/tick', note);
  const ratio = (ingest: number | 'failed' | undefined, of: number | 'failed' | undefined): string =>
    typeof ingest === 'number' && typeof of === 'number' ? `; ×${(ingest / of).toFixed(2)} the floor's` : '';
  if (dbMicrosPerTick !== undefined && floorDbMicrosPerTick !== undefined) {
    // Above 1/0.7 of the floor's, PostgreSQL alone keeps the ingest under 70% of the floor.
    dbFigure(
      'PostgreSQL CPU, ingest',
      dbMicrosPerTick,
      `cold; every backend and helper, from spawn to the last NOTIFY${ratio(dbMicrosPerTick, floorDbMicrosPerTick)}`,
    );
    figure("  of which the listener's backend", listenerMicrosPerTick, 'µs/tick', 'reading the NOTIFY queue, sending it to the bench');
    dbFigure('PostgreSQL CPU, binary COPY floor', floorDbMicrosPerTick, 'cold');
  }
  const warmDb = warm ? dbPerTick(warm.run.dbCpuMs, warm.run.ticks) : undefined;
  if (warm && warmDb !== undefined && warm.floorDbMicrosPerTick !== undefined) {
    dbFigure('PostgreSQL CPU, ingest, warm', warmDb, `the window alone${ratio(warmDb, warm.floorDbMicrosPerTick)}`);
    dbFigure('PostgreSQL CPU, binary COPY floor, warm', warm.floorDbMicrosPerTick);
  }
  figure(
    'tick_data_channel NOTIFYs per 1,000 ticks',
    (1000 * cold.tickNotifies) / run.ticks,
    '',
    `cold; ${cold.ticksDelivered.toLocaleString('en-US')} ticks delivered`,
  );
  figure(
    'all NOTIFYs per 1,000 ticks (ticks + bars)',
    (1000 * run.notifies) / run.ticks,
    '',
    warm ? `cold; warm ${((1000 * warm.run.notifies) / warm.run.ticks).toFixed(2)}` : 'cold',
  );
  figure('peak RSS of the pipeline process', run.peakRssMb, 'MB', 'VmHWM; its load generator runs apart; cold');
  if (warm) figure('peak RSS of the pipeline process, warm run', warm.run.peakRssMb, 'MB', 'VmHWM over the warm-up and the window');
}
