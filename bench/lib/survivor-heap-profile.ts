// A sampling heap profile of what survives a scavenge: V8's sampling heap profiler, told to drop the
// samples a minor GC collects but keep those a major GC collects later, so the profile shows the
// allocation sites whose objects were promoted (what makes the old generation grow and mark-compact
// run), not what dies young. Written as dir/<name>.heapprofile for DevTools' Memory tab.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/** Bytes between two samples (V8's default is 32 KiB; finer, since one run is short). */
const SAMPLING_INTERVAL = 8_192;

export interface SurvivorProfile {
  /** Stops sampling and writes the profile. */
  stop(): Promise<void>;
}

export async function startSurvivorProfile(dir: string, name: string): Promise<SurvivorProfile> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: SAMPLING_INTERVAL,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: false,
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
