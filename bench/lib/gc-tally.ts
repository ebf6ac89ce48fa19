// What the garbage collector did in this process between start and stop, from V8's GCProfiler (one record per
// GC with every space's used bytes before and after it): scavenges and full collections, their pause time, the
// bytes scavenges promoted (the old space's growth across each scavenge: what survived the young generation
// twice, e.g. a flush's strings held while it waits for PostgreSQL), and the bytes allocated straight into the
// old generation between GCs (its spaces' growth from one GC's end to the next one's start: pretenured objects,
// large objects, compiled code), which no scavenge sees but which drives the incremental marking and the
// mark-compacts as promotion does.
import { GCProfiler, getHeapSpaceStatistics } from 'node:v8';

export interface GcTally {
  readonly scavenges: number;
  /** Mark-compacts (full GCs), incremental marking steps not counted. */
  readonly markCompacts: number;
  /** Pause time of every GC, ms. */
  readonly pauseMs: number;
  /** Old-space bytes that scavenges added. */
  readonly promotedBytes: number;
  /** Old-generation bytes allocated outside GCs (every old space, large objects included). */
  readonly oldAllocatedBytes: number;
  /** Of oldAllocatedBytes, those in the large-object spaces (objects over ~128 KB, e.g. a long array's elements). */
  readonly largeObjectBytes: number;
  /** oldAllocatedBytes by space (old_space, code_space, map_space, large_object_space…). */
  readonly oldAllocatedBySpace: Readonly<Record<string, number>>;
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

const YOUNG = new Set(['new_space', 'new_large_object_space']);
const LARGE = new Set(['large_object_space', 'code_large_object_space']);
const used = (spaces: readonly SpaceStatistics[], name: string): number => spaces.find((s) => s.spaceName === name)?.spaceUsedSize ?? 0;
const sum = (spaces: readonly SpaceStatistics[], of: (name: string) => boolean): number =>
  spaces.reduce((total, s) => total + (of(s.spaceName) ? s.spaceUsedSize : 0), 0);
const old = (name: string): boolean => !YOUNG.has(name);
const large = (name: string): boolean => LARGE.has(name);
const current = (): SpaceStatistics[] =>
  getHeapSpaceStatistics().map((s) => ({ spaceName: s.space_name, spaceUsedSize: s.space_used_size }));

/** Starts counting; the function returned stops and gives the tally. */
export function startGcTally(): () => GcTally {
  const profiler = new GCProfiler();
  const atStart = current();
  profiler.start();
  return () => {
    const atStop = current();
    const records = (profiler.stop()?.statistics ?? []) as unknown as readonly GcRecord[];
    let scavenges = 0;
    let markCompacts = 0;
    let pauseMs = 0;
    let promotedBytes = 0;
    let oldAllocatedBytes = 0;
    let largeObjectBytes = 0;
    let last: readonly SpaceStatistics[] = atStart;
    const oldAllocatedBySpace: Record<string, number> = {};
    const grew = (to: readonly SpaceStatistics[]): void => {
      for (const space of to) {
        if (!old(space.spaceName)) continue;
        const growth = space.spaceUsedSize - used(last, space.spaceName);
        if (growth > 0) oldAllocatedBySpace[space.spaceName] = (oldAllocatedBySpace[space.spaceName] ?? 0) + growth;
      }
      oldAllocatedBytes += Math.max(0, sum(to, old) - sum(last, old));
      largeObjectBytes += Math.max(0, sum(to, large) - sum(last, large));
    };
    for (const r of records) {
      pauseMs += r.cost / 1000;
      grew(r.beforeGC.heapSpaceStatistics);
      last = r.afterGC.heapSpaceStatistics;
      if (r.gcType === 'Scavenge') {
        scavenges++;
        promotedBytes += Math.max(0, used(r.afterGC.heapSpaceStatistics, 'old_space') - used(r.beforeGC.heapSpaceStatistics, 'old_space'));
      } else if (r.gcType === 'MarkSweepCompact') markCompacts++;
    }
    grew(atStop);
    return { scavenges, markCompacts, pauseMs, promotedBytes, oldAllocatedBytes, largeObjectBytes, oldAllocatedBySpace };
  };
}
