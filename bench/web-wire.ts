// bench:web's view of an answer as a browser gets it: asked with `Accept-Encoding: gzip`, timed to
// its last byte on the wire, its size counted as sent (compressed), and /api/ohlc's cost at
// growing sizes with a line saying whether it grows linearly.
import { request } from 'node:http';
import { processTreeCpuMs } from './lib/process-cpu.ts';
import { figure, percentile } from './lib/report.ts';

/** What Chromium sends (br too, but Next.js answers br only when asked and gzip otherwise). */
export const BROWSER_ENCODING = { 'accept-encoding': 'gzip, deflate' };

export interface WireAnswer {
  readonly status: number;
  /** content-encoding as answered ('identity' when none). */
  readonly encoding: string;
  /** Body bytes as sent. */
  readonly wireBytes: number;
  /** Request sent → last byte received. */
  readonly ms: number;
}

export function getOnWire(url: string, headers: Record<string, string> = BROWSER_ENCODING): Promise<WireAnswer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { headers }, (res) => {
      let wireBytes = 0;
      res.on('data', (chunk: Buffer) => {
        wireBytes += chunk.length;
      });
      res.on('error', reject);
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          encoding: typeof res.headers['content-encoding'] === 'string' ? res.headers['content-encoding'] : 'identity',
          wireBytes,
          ms: performance.now() - started,
        });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Answer times of `runs` sequential requests, sorted; throws on a non-200. */
async function timeSequential(url: string, runs: number): Promise<{ sorted: number[]; wireBytes: number }> {
  const times: number[] = [];
  let wireBytes = 0;
  for (let i = 0; i < runs; i++) {
    const answer = await getOnWire(url);
    if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}`);
    times.push(answer.ms);
    wireBytes = answer.wireBytes;
  }
  return { sorted: times.sort((a, b) => a - b), wireBytes };
}

/** Below this a step ×10 in bars that costs more than ×(10 · slack) in time is "worse than linear". */
const LINEAR_SLACK = 1.5;

/** CPU milliseconds used so far by these processes and their children. */
const cpuOf = (pids: readonly number[]): number => pids.reduce((sum, pid) => sum + processTreeCpuMs(pid), 0);

/**
 * /api/ohlc at each size (sequential, gzip), then one line per ×10 step: linear or not. `cpuPids`:
 * the web server and the PostgreSQL postmaster, whose CPU per request (the streamed path writes its
 * JSON in PostgreSQL) depends far less on other work on the machine than the latency does.
 */
export async function printOhlcGrowth(
  ohlcUrl: (limit: number) => string,
  sizes: readonly number[],
  runs: number,
  cpuPids: readonly number[],
): Promise<void> {
  const medians: number[] = [];
  const cpuPerRequest: number[] = [];
  for (const size of sizes) {
    const url = ohlcUrl(size);
    const warm = await getOnWire(url); // warm: the cache's fill, JIT
    if (warm.status !== 200) {
      figure(`/api/ohlc ${size.toLocaleString('en-US')} bars`, `not answered: HTTP ${warm.status}`);
      return;
    }
    await getOnWire(url);
    // Answers over what the cache held come from the database the first time (the cache then holds
    // the series' newest 100,000 bars): that first request is not in the figures below, so say what it took.
    figure(`/api/ohlc ${size.toLocaleString('en-US')} bars: first request`, warm.ms.toFixed(1), 'ms', 'before the runs below');
    const cpuBefore = cpuOf(cpuPids);
    const { sorted, wireBytes } = await timeSequential(url, runs);
    const cpuMs = (cpuOf(cpuPids) - cpuBefore) / runs;
    cpuPerRequest.push(cpuMs);
    const p50 = percentile(sorted, 50);
    medians.push(p50);
    figure(
      `/api/ohlc ${size.toLocaleString('en-US')} bars: p50 / p95 / max`,
      `${p50.toFixed(1)} / ${percentile(sorted, 95).toFixed(1)} / ${(sorted.at(-1) ?? NaN).toFixed(1)}`,
      'ms',
      `${(wireBytes / 1e3).toFixed(0)} kB gzip on the wire; ${((p50 / size) * 1000).toFixed(1)} µs a bar`,
    );
    figure('  server + PostgreSQL CPU per request', cpuMs.toFixed(1), 'ms', `${((cpuMs / size) * 1000).toFixed(1)} µs a bar`);
  }
  for (let i = 1; i < sizes.length; i++) {
    const barsRatio = (sizes[i] as number) / (sizes[i - 1] as number);
    const timeRatio = (medians[i] as number) / (medians[i - 1] as number);
    const cpuRatio = (cpuPerRequest[i] as number) / (cpuPerRequest[i - 1] as number);
    const verdict = (ratio: number): string => (ratio <= barsRatio * LINEAR_SLACK ? 'linear or better' : 'WORSE than linear');
    console.log(
      `  growth ${(sizes[i - 1] as number).toLocaleString('en-US')} → ${(sizes[i] as number).toLocaleString('en-US')} bars (×${barsRatio}): ` +
        `time ×${timeRatio.toFixed(1)}: ${verdict(timeRatio)}; CPU ×${cpuRatio.toFixed(1)}: ${verdict(cpuRatio)}`,
    );
  }
}
