// A V8 sampling heap profile of one stretch of a bench (BENCH_HEAP_PROF=dir): every allocation sampled
// (objects the garbage collector has freed since included), written as dir/<name>.heapprofile for
// DevTools — where a run's allocations, and so its garbage collection, come from.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/** Bytes between samples (V8's default is 32 KiB; finer shows the small per-bar objects). */
const SAMPLING_INTERVAL = 4096;

/** Runs `work` under the sampling heap profiler when `dir` is set, writing `dir/name.heapprofile`. */
export async function heapProfiled<T>(dir: string | undefined, name: string, work: () => Promise<T>): Promise<T> {
  if (!dir) return work();
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: SAMPLING_INTERVAL,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  try {
    return await work();
  } finally {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.heapprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
