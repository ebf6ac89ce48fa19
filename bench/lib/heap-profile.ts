// V8's sampling heap profiler around one stretch of a bench, written as dir/<name>.heapprofile for DevTools'
// Memory tab. Two views: every allocation sampled (objects the garbage collector freed since included) —
// where a run's allocations, and so its garbage collection, come from (BENCH_HEAP_PROF); or only what
// survives a scavenge (samples a minor GC collects dropped, those a major GC collects later kept) — the
// allocation sites whose objects were promoted, what makes the old generation grow and mark-compact run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

export interface HeapProfileOptions {
  /** Only what survives a scavenge (see above); default every allocation. */
  readonly survivorsOnly?: boolean;
  /** Bytes between two samples (V8's default is 32 KiB; finer shows small objects in a short run). */
  readonly samplingInterval?: number;
}

export interface HeapProfile {
  /** Stops sampling and writes the profile. */
  stop(): Promise<void>;
}

export async function startHeapProfile(dir: string, name: string, options: HeapProfileOptions = {}): Promise<HeapProfile> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: options.samplingInterval ?? 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: !options.survivorsOnly,
  });
  return {
    stop: async () => {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${name}.heapprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** Runs `work` under the sampling heap profiler (every allocation) when `dir` is set. */
export async function heapProfiled<T>(dir: string | undefined, name: string, work: () => Promise<T>): Promise<T> {
  if (!dir) return work();
  const profile = await startHeapProfile(dir, name);
  try {
    return await work();
  } finally {
    await profile.stop();
  }
}
