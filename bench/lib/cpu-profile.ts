// A V8 CPU profile of one stretch of a bench (BENCH_CPU_PROF=dir): only the measured work, not the set-up
// around it (synthetic bars, COPY of the inputs), written as dir/<name>.cpuprofile for DevTools.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/** Runs `work` under the profiler when `dir` is set, writing `dir/name.cpuprofile`. */
export async function profiled<T>(dir: string | undefined, name: string, work: () => Promise<T>): Promise<T> {
  if (!dir) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
