// Runs bench/analyze-bar-source.ts (the bar writer and the signal_detected listener) in a child process and
// hands back its marks; checks first that the two processes' epoch clocks agree (performance.timeOrigin +
// now() in each), since the per-stage lines subtract one process's marks from the other's.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { BarSourceDone, BarSourceOptions } from '../analyze-bar-source.ts';

const SCRIPT = fileURLToPath(new URL('../analyze-bar-source.ts', import.meta.url));
/** Clock pings; the one with the shortest round trip bounds the offset best. */
const PINGS = 20;

export interface BarSource {
  /** The child's clock minus this process's, ms, from the fastest ping (± half its round trip). */
  readonly clockOffsetMs: number;
  readonly clockRoundTripMs: number;
  /** Starts the writes; resolves with every bar's marks once the child has its signals. */
  run(): Promise<BarSourceDone>;
  stop(): void;
}

const epochNow = (): number => performance.timeOrigin + performance.now();

function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (m: { type?: string }): void => {
      if (m.type !== type) return;
      cleanup();
      resolve(m as T);
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`bar source exited (${code}) before sending '${type}'`));
    };
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export async function startBarSource(options: BarSourceOptions): Promise<BarSource> {
  const child = fork(SCRIPT, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_BAR_SOURCE: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await nextMessage(child, 'ready');
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < PINGS; i++) {
    const t0 = epochNow();
    const reply = nextMessage<{ at: number }>(child, 'clock');
    child.send({ type: 'clock' });
    const { at } = await reply;
    const t1 = epochNow();
    if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: at - (t0 + t1) / 2 };
  }
  return {
    clockOffsetMs: best.offset,
    clockRoundTripMs: best.rtt,
    run: async () => {
      const done = nextMessage<BarSourceDone>(child, 'done');
      child.send({ type: 'go' });
      const result = await done;
      if (child.exitCode === null) await once(child, 'exit');
      return result;
    },
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
