// npm run bench:web — the web app against its targets, on this machine:
//   cold /trends: navigation start → first candles painted, in a fresh browser context, ≤ 800 ms
//   /api/ohlc answering 10,000 bars: p95 ≤ 25 ms warm (autocannon asking for gzip as a browser does;
//   p95 from every response time),
//   the newest bars (the web's cache of recent bars) and an older page (read through Prisma), and
//   the read itself in this process: the old binary COPY path beside Prisma and the cache
//   /api/ohlc at 1,000 / 10,000 / 100,000 bars (100,000 streamed ≤ 250 ms), and whether it grows linearly
//   first paint of 10,000 bars in Chromium ≤ 200 ms after the data arrived (the chart's marks; the first
//   frame draws from the last bars, and the frame after all 10,000 are set is printed beside it), on
//   the UTC calendar and on the CME calendar (the MES charts': the time axis weighs Chicago time)
//   a live tick message < 2 ms of main-thread time (the socket handler's own timing, and all
//   main-thread task time over the run per message, from Chrome's Performance metrics)
// Stack: embedded PostgreSQL seeded with 110,000 1m bars, Next's standalone server (production build, as npm start runs it), and a
// stand-in broadcaster the benchmark drives.
import autocannon from 'autocannon';
import type { Browser } from 'playwright';
import { benchDatabase } from './lib/bench-database.ts';
import { chromiumPid, cpuByType, cpuSince, treeCpu } from './lib/chromium-cpu.ts';
import { processTreeCpuMs, serverCpuMs } from './lib/process-cpu.ts';
import { postmasterPid } from './lib/postmaster-pid.ts';
import { figure, percentile, printLoad, printMachine } from './lib/report.ts';
import { compareBarReads } from './web-bar-reads.ts';
import { launchChromium, measureLiveTicks, openAndMeasureFirstPaint } from './web-browser.ts';
import { coldTrendsRun, type ColdTrendsRun, printCold } from './web-cold-trends.ts';
import { printTraceSummary } from './web-trace.ts';
import { BENCH_CME_CONTRACT, BENCH_CONTRACT, ensureWebBuild, seedBars, startStandInBroadcaster, startWeb } from './web-stack.ts';
import { BROWSER_ENCODING, getOnWire, printOhlcGrowth } from './web-wire.ts';

/** Enough for the largest answer (100,000 bars) and an older page before the cache's. */
const SEEDED_BARS = 110_000;
const RESPONSE_BARS = 10_000;
const GROWTH_SIZES = [1_000, 10_000, 100_000] as const;
const GROWTH_RUNS = Number(process.env.BENCH_GROWTH_RUNS ?? 20);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 7);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PAINT_RUNS = Number(process.env.BENCH_PAINT_RUNS ?? 5);
const READ_RUNS = Number(process.env.BENCH_READ_RUNS ?? 100);
/** An older page: ends OLDER_PAGE_OFFSET bars before the newest, so it reaches before what the cache holds. */
const OLDER_PAGE_OFFSET = 2_000;
/** Extra node flags for the server, e.g. BENCH_WEB_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const SERVER_FLAGS = (process.env.BENCH_WEB_NODE_FLAGS ?? '').split(' ').filter(Boolean);
/** BENCH_WEB_ONLY=paint,growth …: only these parts (cold, reads, latency, growth, paint, live); all when unset. */
const ONLY = new Set((process.env.BENCH_WEB_ONLY ?? '').split(',').filter(Boolean));
const part = (name: 'cold' | 'reads' | 'latency' | 'growth' | 'paint' | 'live'): boolean => ONLY.size === 0 || ONLY.has(name);
/** BENCH_WEB_PROFILE=dir: a Chromium CPU profile of each first-paint run, written there (.cpuprofile). */
const PROFILE_DIR = process.env.BENCH_WEB_PROFILE;
/** BENCH_WEB_TRACE=N: N more cold navigations and N more first paints a calendar under a Chromium
 * performance trace (not in the figures: tracing slows the page): the first printed as where the
 * window's time went (a cold navigation: its start → the chart's mount), each one's main-thread CPU
 * in the window (thread time, which the load moves far less than wall time). */
const TRACE_RUNS = Number(process.env.BENCH_WEB_TRACE ?? 0);
const LIVE_MESSAGES = 500;
/** 100 messages/s: 25× what one contract's 250 ms flushes send, so redraws cannot hide between them. */
const LIVE_INTERVAL_MS = 10;

interface LatencyRun {
  readonly connections: number;
  readonly requestsPerSecond: number;
  readonly sorted: number[];
  readonly errors: number;
  /** The server's CPU time per answered request (undefined: not measured). */
  readonly serverCpuMs?: number;
}

function load(url: string, connections: number, seconds: number, serverPid?: number): Promise<LatencyRun> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const cpuBefore = serverPid === undefined ? 0 : processTreeCpuMs(serverPid);
    const instance = autocannon({ url, connections, duration: seconds, headers: BROWSER_ENCODING }, (err, result) => {
      if (err) return reject(err);
      const serverCpuMs =
        serverPid === undefined || times.length === 0 ? undefined : (processTreeCpuMs(serverPid) - cpuBefore) / times.length;
      resolve({
        connections,
        requestsPerSecond: result.requests.average,
        sorted: times.sort((a, b) => a - b),
        errors: result.errors + result.non2xx,
        serverCpuMs,
      });
    });
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      times.push(ms);
    });
  });
}

function printLatency(run: LatencyRun, target: string, what = 'newest'): void {
  const p = (q: number) => percentile(run.sorted, q);
  figure(`/api/ohlc 10k ${what} bars, ${run.connections} connection(s): req/s`, run.requestsPerSecond, 'req/s');
  figure(
    `  latency p50 / p95 / p99 / max`,
    `${p(50).toFixed(1)} / ${p(95).toFixed(1)} / ${p(99).toFixed(1)} / ${(run.sorted.at(-1) ?? NaN).toFixed(1)}`,
    'ms',
    target,
  );
  if (run.serverCpuMs !== undefined)
    figure('  server CPU per request', run.serverCpuMs.toFixed(1), 'ms', 'the web server and its children; hardly depends on the load');
  if (run.errors > 0) figure('  errors or non-2xx', run.errors);
}

/** TRACE_RUNS more cold navigations under a trace: main-thread CPU (thread time) to the mount and
 * from the mount to the candles, each run, and where the first run's time to the mount went. */
async function tracedColdRuns(b: Browser, webUrl: string): Promise<void> {
  const runs: ColdTrendsRun[] = [];
  for (let i = 0; i < TRACE_RUNS; i++) runs.push(await coldTrendsRun(b, webUrl, i === 0 ? 'keep' : 'cpu'));
  const first = runs[0]?.toMount;
  if (first) printTraceSummary(first);
  const cpu = (f: (r: ColdTrendsRun) => number | undefined): string => {
    const each = runs.map((r) => f(r) ?? NaN);
    const sorted = [...each].sort((x, y) => x - y);
    return `${each.map((d) => d.toFixed(0)).join(', ')} (median ${percentile(sorted, 50).toFixed(0)})`;
  };
  figure(
    'traced cold: main-thread CPU navigation → mounted, each run',
    cpu((r) => r.toMount?.cpuMs),
    'ms',
    'thread time; not in the figures',
  );
  figure(
    '  mounted → candles painted, each run',
    cpu((r) => r.mountToCandles?.cpuMs),
    'ms',
    'NaN: the boot script drew the candles before the mount',
  );
  figure(
    '  navigation → candles painted, each run',
    cpu((r) => r.toCandles?.cpuMs),
    'ms',
    'whoever drew them',
  );
  figure('  wall navigation → candles under tracing, each run', runs.map((r) => r.candlesMs.toFixed(0)).join(', '), 'ms');
}

/** The first frame draws from the last bars (web/lib/chart/candle-chart.ts): bars-painted is that
 * frame; this is the frame after all 10,000 are in the series, set in the task after it. */
function printAllSet(each: readonly number[]): void {
  const sorted = [...each].sort((a, b) => a - b);
  figure(
    `  → all ${RESPONSE_BARS.toLocaleString('en-US')} bars set, each run`,
    `${each.map((d) => d.toFixed(0)).join(', ')} (median ${percentile(sorted, 50).toFixed(0)})`,
    'ms',
    'bars-received → the frame after the rest of the bars went in (NaN: not booted)',
  );
}

async function tracedFirstPaints(b: Browser, webUrl: string, contract: string): Promise<void> {
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < TRACE_RUNS; i++) {
    const { page, trace } = await openAndMeasureFirstPaint(b, webUrl, RESPONSE_BARS, undefined, contract, i === 0 ? 'full' : 'cpu');
    cpu.push(trace?.cpuMs ?? NaN);
    wall.push(trace?.windowMs ?? NaN);
    await page.close();
  }
  const sorted = [...cpu].sort((x, y) => x - y);
  figure(`traced (${contract}): wall, each run`, wall.map((d) => d.toFixed(0)).join(', '), 'ms', 'under tracing; not in the figures');
  figure(
    `  main-thread CPU in the window, each run`,
    cpu.map((d) => d.toFixed(0)).join(', '),
    'ms',
    `median ${percentile(sorted, 50).toFixed(0)}`,
  );
}

/** A cold navigation with the CPU every process spent on it (Chromium's and the web server's). */
async function coldRunWithCpu(b: Browser, webUrl: string, serverPid: number): Promise<ColdTrendsRun> {
  const chromium = chromiumPid();
  const before = treeCpu(chromium);
  const server = serverCpuMs(serverPid);
  let after = before;
  let renderer = NaN;
  let serverAfter = server;
  const run = await coldTrendsRun(b, webUrl, false, true, () => {
    after = treeCpu(chromium);
    renderer = cpuByType(before, after).get('renderer') ?? NaN; // while the renderer is alive
    serverAfter = serverCpuMs(serverPid);
  });
  return { ...run, chromiumCpuMs: cpuSince(before, after), rendererCpuMs: renderer, serverCpuMs: serverAfter - server };
}

const db = await benchDatabase();
const broadcaster = await startStandInBroadcaster();
let web: Awaited<ReturnType<typeof startWeb>> | undefined;
let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
try {
  printMachine('bench:web — cold /trends, /api/ohlc, first paint, live updates', db.label);
  printLoad('before');
  if (await ensureWebBuild()) console.log('(built the web app first)');
  const { lastBarMs } = await seedBars(db.url, SEEDED_BARS);
  if (part('paint')) await seedBars(db.url, RESPONSE_BARS, BENCH_CME_CONTRACT, 'cme_globex');
  web = await startWeb(db.url, broadcaster.port, SERVER_FLAGS);
  if (SERVER_FLAGS.length > 0) console.log(`server node flags: ${SERVER_FLAGS.join(' ')}`);
  const ohlcUrl = (limit: number): string => `${web?.url}/api/ohlc?contract_id=${BENCH_CONTRACT}&timeframe=1m&limit=${limit}`;
  const url = ohlcUrl(RESPONSE_BARS);
  const sample = await fetch(url);
  const body = await sample.text();
  const bars = (JSON.parse(body) as { bars: unknown[] }).bars.length;
  const wire = await getOnWire(url);
  console.log(
    `server: Next standalone (production, as npm start runs it), Prisma 7 + pg; response ${bars.toLocaleString('en-US')} bars, ` +
      `${(body.length / 1e6).toFixed(2)} MB uncompressed, ${(wire.wireBytes / 1e3).toFixed(0)} kB on the wire (${wire.encoding})`,
  );
  if (bars !== RESPONSE_BARS) throw new Error(`expected ${RESPONSE_BARS} bars, got ${bars}`);

  browser = await launchChromium();
  if (part('cold')) {
    console.log(
      `\n## cold /trends in Chromium ${browser.version()}: navigation → first candles painted, fresh context each run (target ≤ 800 ms)`,
    );
    await coldTrendsRun(browser, web.url); // the server's first render of the page loads its modules: not a browser's cold start
    printLoad('before');
    const cold: ColdTrendsRun[] = [];
    for (let i = 0; i < COLD_RUNS; i++) cold.push(await coldRunWithCpu(browser, web.url, web.pid));
    printCold(cold);
    if (TRACE_RUNS > 0) await tracedColdRuns(browser, web.url);
    printLoad('after');
  }

  if (part('reads')) {
    console.log(
      `\n## reading ${RESPONSE_BARS.toLocaleString('en-US')} bars in this process, old path beside new (${READ_RUNS} reads each, sequential)`,
    );
    printLoad('before');
    await compareBarReads(db.url, BENCH_CONTRACT, RESPONSE_BARS, READ_RUNS);
  }

  const olderUrl = `${url}&to=${lastBarMs - OLDER_PAGE_OFFSET * 60_000}`;
  if (part('latency')) {
    await load(url, 1, 3); // warm: JIT, Prisma's query plan cache, pg pool, the cache's fill
    await load(olderUrl, 1, 3);
    console.log('\n## /api/ohlc (target: p95 ≤ 25 ms warm; autocannon asking for gzip, server and PostgreSQL share this machine)');
    printLoad('before');
    printLatency(await load(url, 1, SECONDS, web.pid), 'target p95 ≤ 25 ms (from the cache of recent bars)');
    printLatency(await load(olderUrl, 1, SECONDS, web.pid), 'an older page: Prisma findMany + select, no cache', 'older');
    printLatency(await load(url, 4, SECONDS, web.pid), 'under 4 concurrent clients, for throughput');
    printLoad('after');
  }

  if (part('growth')) {
    console.log(`\n## /api/ohlc cost growth (${GROWTH_RUNS} sequential requests each, gzip; target 100,000 bars ≤ 250 ms)`);
    printLoad('before');
    await printOhlcGrowth(ohlcUrl, GROWTH_SIZES, GROWTH_RUNS, [web.pid, (await postmasterPid(db.url)) ?? 0]);
    printLoad('after');
  }

  if (part('paint') || part('live')) {
    console.log(
      `\n## first paint of ${RESPONSE_BARS.toLocaleString('en-US')} bars in Chromium ${browser.version()} (target ≤ 200 ms after the data arrives)`,
    );
    const paints: number[] = [];
    const allSet: number[] = [];
    let booted = 0;
    let livePage: Awaited<ReturnType<typeof openAndMeasureFirstPaint>>['page'] | undefined;
    for (let i = 0; i < PAINT_RUNS; i++) {
      const { page, measured } = await openAndMeasureFirstPaint(browser, web.url, RESPONSE_BARS, PROFILE_DIR);
      if (measured.barCount !== RESPONSE_BARS) throw new Error(`chart drew ${measured.barCount} bars`);
      paints.push(measured.durationMs);
      allSet.push(measured.allSetMs);
      if (measured.booted) booted++;
      if (i === PAINT_RUNS - 1) livePage = page;
      else await page.close();
    }
    if (TRACE_RUNS > 0) await tracedFirstPaints(browser, web.url, BENCH_CONTRACT);
    const sortedPaints = [...paints].sort((a, b) => a - b);
    figure('bars-received → bars-painted, each run', paints.map((d) => d.toFixed(0)).join(', '), 'ms');
    figure(
      '  median / worst',
      `${percentile(sortedPaints, 50).toFixed(0)} / ${(sortedPaints.at(-1) ?? NaN).toFixed(0)}`,
      'ms',
      'target ≤ 200 ms',
    );
    printAllSet(allSet);
    figure(
      '  drawn by the boot script, before hydration',
      `${booted} of ${PAINT_RUNS} runs`,
      '',
      'candles and volume, as the chart component draws them',
    );

    if (part('paint')) {
      const cme: number[] = [];
      const cmeAllSet: number[] = [];
      for (let i = 0; i < PAINT_RUNS; i++) {
        const { page, measured } = await openAndMeasureFirstPaint(browser, web.url, RESPONSE_BARS, undefined, BENCH_CME_CONTRACT);
        if (measured.barCount !== RESPONSE_BARS) throw new Error(`chart drew ${measured.barCount} bars`);
        cme.push(measured.durationMs);
        cmeAllSet.push(measured.allSetMs);
        await page.close();
      }
      if (TRACE_RUNS > 0) await tracedFirstPaints(browser, web.url, BENCH_CME_CONTRACT);
      const sortedCme = [...cme].sort((a, b) => a - b);
      figure('CME calendar (as MES), each run', cme.map((d) => d.toFixed(0)).join(', '), 'ms');
      figure(
        '  median / worst',
        `${percentile(sortedCme, 50).toFixed(0)} / ${(sortedCme.at(-1) ?? NaN).toFixed(0)}`,
        'ms',
        'target ≤ 200 ms',
      );
      printAllSet(cmeAllSet);
    }

    printLoad('after');
    if (part('live')) {
      console.log(
        `\n## live updates: ${LIVE_MESSAGES} tick messages (3 trades each) at ${1000 / LIVE_INTERVAL_MS}/s into a 10,000-bar chart (target < 2 ms each)`,
      );
      if (!livePage) throw new Error('no page');
      const live = await measureLiveTicks(livePage, broadcaster, LIVE_MESSAGES, LIVE_INTERVAL_MS);
      const handler = [...live.handlerMs].sort((a, b) => a - b);
      figure(
        'socket handler per message p50 / p95 / max',
        `${percentile(handler, 50).toFixed(3)} / ${percentile(handler, 95).toFixed(3)} / ${(handler.at(-1) ?? NaN).toFixed(3)}`,
        'ms',
        'target < 2 ms',
      );
      figure(
        '  main thread busy during the run',
        `${(live.busyFraction * 100).toFixed(0)}%`,
        '',
        'all tasks: handlers, one redraw per frame, GC',
      );
      figure(
        '  all main-thread time / messages',
        live.taskMsPerMessage.toFixed(2),
        'ms',
        `redraws are per frame (≤ 60/s), not per message`,
      );
      printLoad('after');
    }
  }
} finally {
  await browser?.close();
  await web?.stop();
  await broadcaster.close();
  await db.stop();
}
