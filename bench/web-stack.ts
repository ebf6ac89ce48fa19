// The web benchmark's stack: an embedded PostgreSQL seeded with one contract's 1m bars, a stand-in
// broadcaster (a bare `ws` server the benchmark drives) and the web's standalone server on free ports.
import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { WebSocketServer, type WebSocket } from 'ws';
import { webBuildIsStale } from '../scripts/lib/web-build.ts';
import { freePort } from '../tests/e2e/full-stack.ts';
import { WEB_NODE_FLAGS } from '../web/node-flags.ts';
import { placeStandaloneStaticFiles, standaloneServerEnv, standaloneServerPath } from '../web/standalone-server.ts';

export const BENCH_CONTRACT = 'BENCH.WEB';
/** The same bars on the CME calendar (as SIM.MES and the real MES): the time axis weighs each bar's
 * trade date and Chicago wall time. */
export const BENCH_CME_CONTRACT = 'BENCH.WEB.CME';
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const NEXT_BIN = join(ROOT, 'node_modules/next/dist/bin/next');

/** `count` closed 1m bars ending with the current (forming) minute: a smooth wave, OHLC-consistent.
 * `calendar`: the contract's session_calendar (config/settings.yaml). */
export async function seedBars(url: string, count: number, contract = BENCH_CONTRACT, calendar = 'utc'): Promise<{ lastBarMs: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO contracts (id, provider, symbol, name, tick_size, session_calendar)
      VALUES ($1, 'simulated', $2, 'Benchmark contract', 0.25, $3) ON CONFLICT (id) DO NOTHING`,
      [contract, contract.replaceAll('.', ''), calendar],
    );
    const lastBarMs = Math.floor(Date.now() / 60_000) * 60_000;
    await client.query(
      `
      INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
      SELECT $1, to_timestamp($2::float8 / 1000) - g * interval '1 minute', p, p + 1.5, p - 1.5, p + 0.5, 100 + g % 57, 2, 1, '1m', g > 0
        FROM generate_series(0, $3::int - 1) AS g, LATERAL (SELECT round((5000 + 40 * sin(g / 90.0) + 5 * sin(g / 7.0)) * 4) / 4 AS p) AS price
      ON CONFLICT DO NOTHING`,
      [contract, lastBarMs, count],
    );
    return { lastBarMs };
  } finally {
    await client.end();
  }
}

export interface StandInBroadcaster {
  readonly port: number;
  /** Clients subscribed to ticks and still connected (the open chart pages). */
  subscribers(): number;
  /** Sends one message to every chart page. */
  send(message: object): void;
  close(): Promise<void>;
}

export async function startStandInBroadcaster(): Promise<StandInBroadcaster> {
  const port = await freePort();
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  const subscribed = new Set<WebSocket>();
  server.on('connection', (ws) => {
    ws.on('close', () => subscribed.delete(ws));
    ws.on('message', (data: Buffer) => {
      const m = JSON.parse(data.toString()) as { type?: string; channel?: string; contract_id?: string; timeframe?: string };
      if (m.type !== 'subscribe') return;
      ws.send(JSON.stringify({ type: 'subscribed', channel: m.channel, contract_id: m.contract_id, timeframe: m.timeframe }));
      // A chart page's socket asks for ticks (and, for the page's alert toasts, 'alerts' on the same
      // socket); a page without a chart asks for 'alerts' alone and is sent nothing.
      if (m.channel === 'ticks') subscribed.add(ws);
    });
  });
  await new Promise<void>((r) => server.once('listening', () => r()));
  return {
    port,
    subscribers: () => [...subscribed].filter((ws) => ws.readyState === ws.OPEN).length,
    send(message) {
      const text = JSON.stringify(message);
      for (const ws of subscribed) if (ws.readyState === ws.OPEN) ws.send(text);
    },
    close: () =>
      new Promise<void>((r) => {
        for (const ws of server.clients) ws.terminate();
        server.close(() => r());
      }),
  };
}

export interface WebServer {
  readonly url: string;
  /** The web server process (its CPU time, with its children's, is the server's). */
  readonly pid: number;
  stop(): Promise<void>;
}

export async function ensureWebBuild(): Promise<boolean> {
  if (!webBuildIsStale(ROOT)) return false;
  const build = spawn(process.execPath, [NEXT_BIN, 'build'], {
    cwd: join(ROOT, 'web'),
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit',
  });
  const code = await new Promise<number | null>((r) => build.on('exit', r));
  if (code !== 0) throw new Error(`next build failed (exit ${code})`);
  return true;
}

/** Runs with npm start's WEB_NODE_FLAGS; `nodeFlags` adds more, for profiling the server, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
export async function startWeb(databaseUrl: string, broadcasterPort: number, nodeFlags: readonly string[] = []): Promise<WebServer> {
  const port = await freePort();
  // The standalone server, as npm start runs it.
  placeStandaloneStaticFiles(ROOT);
  const child: ChildProcess = spawn(process.execPath, [...WEB_NODE_FLAGS, ...nodeFlags, standaloneServerPath(ROOT)], {
    cwd: join(ROOT, 'web'),
    env: {
      ...process.env,
      ...standaloneServerEnv('127.0.0.1', port),
      DATABASE_URL: databaseUrl,
      WEBSOCKET_PORT: String(broadcasterPort),
      NEXT_TELEMETRY_DISABLED: '1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // If the benchmark dies, the server must not outlive it.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; ;) {
    if (child.exitCode !== null) throw new Error(`web server exited:\n${output.join('')}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`web server did not answer:\n${output.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid ?? 0,
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
