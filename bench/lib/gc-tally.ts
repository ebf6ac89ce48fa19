// What the garbage collector did in this process between start and stop, from V8's GCProfiler (one record per
// GC with every space's used bytes before and after it): scavenges and full collections, their pause time, and
// the bytes scavenges promoted (the old space's growth across each scavenge: what survived the young generation
// twice, e.g. a flush's strings held while it waits for PostgreSQL).
import { GCProfiler } from 'node:v8';

export interface GcTally {
  readonly scavenges: number;
  /** Mark-compacts (full GCs), incremental marking steps not counted. */
  readonly markCompacts: number;
  /** Pause time of every GC, ms. */
  readonly pauseMs: number;
  /** Old-space bytes that scavenges added. */
  readonly promotedBytes: number;
}

interface SpaceStatistics {
  readonly spaceName: string;
  readonly spaceUsedSize: number;
}
interface GcRecord {
  readonly gcType: string;
  /** Microseconds. */
  readonly cost: number;
  readonly beforeGC: { readonly heapSpaceStatistics: readonly SpaceStatistics[] };
  readonly afterGC: { readonly heapSpaceStatistics: readonly SpaceStatistics[] };
}

const oldSpaceUsed = (spaces: readonly SpaceStatistics[]): number => spaces.find((s) => s.spaceName === 'old_space')?.spaceUsedSize ?? 0;

/** Starts counting; the function returned stops and gives the tally. */
export function startGcTally(): () => GcTally {
  const profiler = new GCProfiler();
  profiler.start();
  return () => {
    const records = (profiler.stop()?.statistics ?? []) as unknown as readonly GcRecord[];
    let scavenges = 0;
    let markCompacts = 0;
    let pauseMs = 0;
    let promotedBytes = 0;
    for (const r of records) {
      pauseMs += r.cost / 1000;
      if (r.gcType === 'Scavenge') {
        scavenges++;
        promotedBytes += Math.max(0, oldSpaceUsed(r.afterGC.heapSpaceStatistics) - oldSpaceUsed(r.beforeGC.heapSpaceStatistics));
      } else if (r.gcType === 'MarkSweepCompact') markCompacts++;
    }
    return { scavenges, markCompacts, pauseMs, promotedBytes };
  };
}
