// bench:ingest --fence-pairs N: what the lease fence (ingester/src/fence-check.ts) costs a run: N pairs of
// pipeline runs without and with it (per-contract leases, every flush checking its contracts' epochs), the
// order alternating pair by pair so a drift in the machine's load falls on both sides; the medians of the
// pipeline process's CPU and of the database server's CPU per tick, and their spreads.
import type { LoadGeneratorOptions } from './ingest-load-generator.ts';
import type { IngestRunResult } from './ingest-pipeline-process.ts';
import { median } from './lib/median.ts';
import { postmasterPid } from './lib/postmaster-pid.ts';
import { serverCpuMsChecked } from './lib/process-cpu.ts';
import { figure } from './lib/report.ts';

type RunPipeline = (gen: LoadGeneratorOptions, fence: boolean) => Promise<IngestRunResult>;

interface Sample {
  readonly nodeUs: number;
  readonly dbUs: number | undefined;
  readonly ticksPerSecond: number;
}

export async function fencePairs(
  url: string,
  gen: LoadGeneratorOptions,
  pairs: number,
  reset: () => Promise<void>,
  run: RunPipeline,
): Promise<void> {
  const postmaster = await postmasterPid(url);
  const sample = async (fence: boolean): Promise<Sample> => {
    await reset();
    const db0 = postmaster === undefined ? undefined : serverCpuMsChecked(postmaster);
    const r = await run(gen, fence);
    const db1 = postmaster === undefined ? undefined : serverCpuMsChecked(postmaster);
    // A failed /proc read leaves the run out of the database figure (the median says of how many).
    const db = db0 === undefined || db1 === undefined || db1 < db0 ? undefined : db1 - db0;
    return {
      nodeUs: (r.nodeCpuMs * 1000) / r.ticks,
      dbUs: db === undefined ? undefined : (db * 1000) / r.ticks,
      ticksPerSecond: r.ticks / r.seconds,
    };
  };
  const off: Sample[] = [];
  const on: Sample[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    if (pair % 2 === 0) {
      off.push(await sample(false));
      on.push(await sample(true));
    } else {
      on.push(await sample(true));
      off.push(await sample(false));
    }
  }
  const series = (name: string, samples: readonly Sample[], value: (s: Sample) => number | undefined, unit: string): number => {
    const values = samples.map(value).filter((v): v is number => v !== undefined);
    if (values.length === 0) return NaN;
    const m = median(values);
    figure(name, m, unit, `median of ${values.length}; runs ${values.map((v) => v.toFixed(unit === 'ticks/s' ? 0 : 2)).join(', ')}`);
    return m;
  };
  const what = gen.mode === 'flood' ? 'flood' : `paced ${gen.rate.toLocaleString('en-US')} ticks/s for ${gen.seconds} s`;
  console.log(`\n### lease fence, ${what}: ${pairs} pairs without / with it (${gen.contracts} contracts, per-contract leases)`);
  const nodeOff = series('Node CPU per tick, no fence', off, (s) => s.nodeUs, 'µs/tick');
  const nodeOn = series('Node CPU per tick, fenced', on, (s) => s.nodeUs, 'µs/tick');
  figure('  added by the fence (medians)', nodeOn - nodeOff, 'µs/tick');
  const dbOff = series('database CPU per tick, no fence', off, (s) => s.dbUs, 'µs/tick');
  const dbOn = series('database CPU per tick, fenced', on, (s) => s.dbUs, 'µs/tick');
  if (Number.isFinite(dbOff)) figure('  added by the fence (medians)', dbOn - dbOff, 'µs/tick');
  series('ingest rate, no fence', off, (s) => s.ticksPerSecond, 'ticks/s');
  series('ingest rate, fenced', on, (s) => s.ticksPerSecond, 'ticks/s');
}
