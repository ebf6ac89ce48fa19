// npm run bench:web-ab — cold /trends and first paint of several web builds, interleaved navigation by
// navigation against one database, so a loaded machine's swings fall on every build alike.
//   BENCH_WEB_AB="base=/work/wt/old:start,new=.:standalone" names each build: a repository checkout
//   with its web app built, and how its server runs — `standalone` (Next's standalone server, as npm
//   start runs it: this checkout's placeStandaloneStaticFiles puts the static files beside it) or
//   `start` (`next start` of its own node_modules, as npm start ran it before session 11), or
//   `standalone-nohint` (the standalone server with the static files copied as they are, as session 11
//   ran it: no compile hint). A `:nometrics` suffix runs that build's cold navigations as bench:web
//   did before session 10: without Chrome's Performance metrics and the long-task observer.
//   BENCH_AB_ROUNDS (default 7): cold navigations per build; BENCH_AB_PAINTS (default 3): first paints
//   per build and calendar; BENCH_AB_TRACE=1: the cold navigations traced, with the main thread's CPU.
// Besides the wall figures, each cold navigation's CPU: the Chromium processes' (browser, renderer,
// GPU, network: /proc, reaped renderers included) and the web server's, which the load moves far less.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Browser } from 'playwright';
import { freePort } from '../tests/e2e/full-stack.ts';
import { WEB_NODE_FLAGS } from '../web/node-flags.ts';
import { placeStandaloneStaticFiles, standaloneServerEnv, standaloneServerPath } from '../web/standalone-server.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { chromiumPid, cpuByType, cpuSince, treeCpu } from './lib/chromium-cpu.ts';
import { median } from './lib/median.ts';
import { serverCpuMs } from './lib/process-cpu.ts';
import { figure, printLoad, printMachine } from './lib/report.ts';
import { launchChromium, openAndMeasureFirstPaint } from './web-browser.ts';
import { coldTrendsRun, type ColdTrendsRun } from './web-cold-trends.ts';
import { BENCH_CME_CONTRACT, BENCH_CONTRACT, seedBars, startStandInBroadcaster } from './web-stack.ts';

const ROUNDS = Number(process.env.BENCH_AB_ROUNDS ?? 7);
const PAINTS = Number(process.env.BENCH_AB_PAINTS ?? 3);
/** BENCH_AB_THREADS=1: the renderer's CPU by thread too. */
const THREADS = process.env.BENCH_AB_THREADS === '1';
/** BENCH_AB_TRACE=1: each cold navigation under a Chromium trace (slower), with the main thread's CPU
 * to the candles and to the mount (thread time: what the load moves least). */
const TRACE = process.env.BENCH_AB_TRACE === '1';
const SEEDED_BARS = 12_000;
const PAINT_BARS = 10_000;

interface Build {
  readonly name: string;
  readonly repoDir: string;
  readonly mode: 'standalone' | 'standalone-nohint' | 'start';
  /** false (`:nometrics`): cold runs without Chrome's Performance metrics and the long-task observer. */
  readonly metrics: boolean;
}

interface Server {
  readonly build: Build;
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
}

interface ColdSample {
  readonly run: ColdTrendsRun;
  readonly browserCpuMs: number;
  /** The same by Chromium process type (browser, renderer, gpu-process, utility…). */
  readonly byType: ReadonlyMap<string, number>;
  readonly serverCpuMs: number;
}

function parseBuilds(text: string | undefined): Build[] {
  if (!text) throw new Error('BENCH_WEB_AB: name=repoDir:standalone|standalone-nohint|start[:nometrics], comma separated');
  return text.split(',').map((entry) => {
    const m = /^([\w.-]+)=(.+?):(standalone|standalone-nohint|start)(:nometrics)?$/.exec(entry.trim());
    if (!m) throw new Error(`BENCH_WEB_AB: '${entry}' is not name=repoDir:standalone|standalone-nohint|start[:nometrics]`);
    return { name: m[1] as string, repoDir: resolve(m[2] as string), mode: m[3] as Build['mode'], metrics: m[4] === undefined };
  });
}

/** The static files beside the standalone server as session 11 placed them: copied, no compile hint. */
function placeStaticFilesWithoutHint(repoDir: string): void {
  const serverDir = dirname(standaloneServerPath(repoDir));
  rmSync(join(serverDir, '.next', 'static'), { recursive: true, force: true });
  cpSync(join(repoDir, 'web', '.next', 'static'), join(serverDir, '.next', 'static'), { recursive: true });
  if (existsSync(join(repoDir, 'web', 'public'))) cpSync(join(repoDir, 'web', 'public'), join(serverDir, 'public'), { recursive: true });
}

async function startServer(build: Build, databaseUrl: string, broadcasterPort: number): Promise<Server> {
  const port = await freePort();
  const webDir = join(build.repoDir, 'web');
  let args: string[];
  let address: Record<string, string> = {};
  if (build.mode !== 'start') {
    if (build.mode === 'standalone') placeStandaloneStaticFiles(build.repoDir);
    else placeStaticFilesWithoutHint(build.repoDir);
    args = [...WEB_NODE_FLAGS, standaloneServerPath(build.repoDir)];
    address = standaloneServerEnv('127.0.0.1', port);
  } else {
    args = [...WEB_NODE_FLAGS, join(build.repoDir, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'];
  }
  const child = spawn(process.execPath, args, {
    cwd: webDir,
    env: {
      ...process.env,
      ...address,
      DATABASE_URL: databaseUrl,
      WEBSOCKET_PORT: String(broadcasterPort),
      NEXT_TELEMETRY_DISABLED: '1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 90_000; ;) {
    if (child.exitCode !== null) throw new Error(`${build.name}: web server exited:\n${output.join('')}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${build.name}: web server did not answer:\n${output.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { build, url, pid: child.pid as number, child };
}

async function coldSample(browser: Browser, server: Server, browserPid: number): Promise<ColdSample> {
  const b0 = treeCpu(browserPid);
  const s0 = serverCpuMs(server.pid);
  let b1 = b0;
  let byType = new Map<string, number>();
  let atNavigation = b0;
  const run = await coldTrendsRun(
    browser,
    server.url,
    TRACE ? 'cpu' : false,
    server.build.metrics,
    () => {
      b1 = treeCpu(browserPid);
      byType = cpuByType(b0, b1, THREADS); // while the context's renderer is alive: its type is read from /proc
      // The same from the navigation's start: what the page itself cost, not the context's creation.
      for (const [type, ms] of cpuByType(atNavigation, b1, THREADS)) byType.set(`${type} (nav)`, ms);
    },
    () => {
      atNavigation = treeCpu(browserPid);
    },
  );
  return { run, browserCpuMs: cpuSince(b0, b1), byType, serverCpuMs: serverCpuMs(server.pid) - s0 };
}

const builds = parseBuilds(process.env.BENCH_WEB_AB);
const db = await benchDatabase();
const broadcaster = await startStandInBroadcaster();
const servers: Server[] = [];
let browser: Browser | undefined;
try {
  printMachine(
    `bench:web-ab — cold /trends and first paint, ${builds.map((b) => `${b.name} (${b.mode})`).join(' / ')} interleaved`,
    db.label,
  );
  await seedBars(db.url, SEEDED_BARS, BENCH_CONTRACT);
  await seedBars(db.url, PAINT_BARS, BENCH_CME_CONTRACT, 'cme_globex');
  for (const build of builds) servers.push(await startServer(build, db.url, broadcaster.port));
  browser = await launchChromium();
  const browserPid = chromiumPid();
  // Each server's first render of the page loads its modules: not a browser's cold start.
  for (const s of servers) await coldTrendsRun(browser, s.url);
  printLoad('before');
  const cold = new Map<string, ColdSample[]>(builds.map((b) => [b.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // The order turns each round, so no build always follows the same one.
    for (let i = 0; i < servers.length; i++) {
      const s = servers[(round + i) % servers.length] as Server;
      cold.get(s.build.name)?.push(await coldSample(browser, s, browserPid));
    }
  }
  printLoad('after');
  console.log('\n## cold /trends, navigation → candles painted (medians; ms)');
  console.log(
    'build            candles (each)                           worst  HTML  scripts   DCL  mounted  ohlc asked→end  booted  | CPU Chromium / server',
  );
  for (const [name, samples] of cold) {
    const m = (f: (s: ColdSample) => number): string => median(samples.map(f)).toFixed(0);
    console.log(
      `${name.padEnd(16)} ${m((s) => s.run.candlesMs).padStart(5)} (${samples.map((s) => s.run.candlesMs.toFixed(0)).join(', ')})`.padEnd(
        74,
      ) +
        `${Math.max(...samples.map((s) => s.run.candlesMs)).toFixed(0)}  ${m((s) => s.run.htmlMs).padStart(4)}  ${m((s) => s.run.scriptsEndMs).padStart(7)}  ` +
        `${m((s) => s.run.domContentLoadedMs).padStart(4)}  ${m((s) => s.run.chartStartedMs).padStart(7)}  ` +
        `${`${m((s) => s.run.ohlcStartMs)}→${m((s) => s.run.ohlcEndMs)}`.padStart(14)}  ` +
        `${`${samples.filter((s) => s.run.booted).length}/${samples.length}`.padStart(6)}  | ` +
        `${m((s) => s.browserCpuMs)} / ${m((s) => s.serverCpuMs)}`,
    );
  }
  if (TRACE) {
    console.log('renderer main thread CPU (trace thread time, medians, ms): navigation → candles / → mount');
    for (const [name, samples] of cold) {
      const m = (f: (s: ColdSample) => number | undefined): string => median(samples.map((s) => f(s) ?? Number.NaN)).toFixed(0);
      console.log(`  ${name.padEnd(14)} ${m((s) => s.run.toCandles?.cpuMs)} / ${m((s) => s.run.toMount?.cpuMs)}`);
    }
  }
  console.log('Chromium CPU by process type (medians, ms):');
  for (const [name, samples] of cold) {
    const types = [...new Set(samples.flatMap((x) => [...x.byType.keys()]))].sort();
    console.log(
      `  ${name.padEnd(14)} ${types.map((t) => `${t} ${median(samples.map((x) => x.byType.get(t) ?? 0)).toFixed(0)}`).join(', ')}`,
    );
  }
  if (PAINTS > 0) {
    console.log(`\n## first paint of ${PAINT_BARS.toLocaleString('en-US')} bars, bars-received → bars-painted (ms)`);
    const paints = new Map<string, number[]>(builds.flatMap((b) => [[`${b.name} utc`, []] as [string, number[]], [`${b.name} cme`, []]]));
    const booted = new Map<string, number>();
    printLoad('before');
    for (let round = 0; round < PAINTS; round++) {
      for (const contract of [BENCH_CONTRACT, BENCH_CME_CONTRACT]) {
        for (let i = 0; i < servers.length; i++) {
          const s = servers[(round + i) % servers.length] as Server;
          const { page, measured } = await openAndMeasureFirstPaint(browser, s.url, PAINT_BARS, undefined, contract);
          await page.context().close();
          const key = `${s.build.name} ${contract === BENCH_CONTRACT ? 'utc' : 'cme'}`;
          paints.get(key)?.push(measured.durationMs);
          if (measured.booted) booted.set(key, (booted.get(key) ?? 0) + 1);
        }
      }
    }
    printLoad('after');
    for (const [name, values] of paints) {
      const note = `${booted.get(name) ?? 0} of ${values.length} drawn by the boot script before hydration`;
      figure(name, `${median(values).toFixed(0)} (${values.map((v) => v.toFixed(0)).join(', ')})`, 'ms', note);
    }
  }
} finally {
  await browser?.close();
  for (const s of servers) s.child.kill('SIGTERM');
  await broadcaster.close();
  await db.stop();
}
