// Browser-test helpers for the trends chart: its window.__barstream hook, the stack's database and
// its broadcaster process.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { embeddedDatabaseUrl } from '@barstream/core/node';
import pg from 'pg';
import type { FullStack } from './full-stack.ts';

export interface HookCandle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}
export interface HookState {
  lastBar: HookCandle | null;
  barCount: number;
  signalCount: number;
  events: { gapFills: number; olderPages: number; repaints: number; reloads: number };
  linePoints: Record<string, number>;
}

export interface HookMarker {
  id?: string;
  time: number;
  shape: string;
  color: string;
  text?: string;
}
export interface MarkerPoint {
  x: number;
  y: number;
  time: number;
}
export interface HookLegend {
  time: number;
  latest: boolean;
  close: string;
  change: string;
}

interface Hook extends HookState {
  legend: HookLegend | null;
  candles(): HookCandle[];
  markers(): HookMarker[];
  markedSignals(): string[];
  timeToX(time: number): number | null;
  markerPoint(id: string): MarkerPoint | null;
}

type HookWindow = Window & { __barstream?: Hook };

export function chartState(page: Page): Promise<HookState | null> {
  return page.evaluate(() => {
    const h = (window as HookWindow).__barstream;
    return h ? { lastBar: h.lastBar, barCount: h.barCount, signalCount: h.signalCount, events: h.events, linePoints: h.linePoints } : null;
  });
}

export function chartCandles(page: Page): Promise<HookCandle[]> {
  return page.evaluate(() => (window as HookWindow).__barstream?.candles() ?? []);
}

/** Ids of every signal marker shown, alone or inside a cluster. */
export function markerIds(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as HookWindow).__barstream?.markedSignals() ?? []);
}

/** The markers drawn (a cluster stands for several signals). */
export function drawnMarkers(page: Page): Promise<HookMarker[]> {
  return page.evaluate(() => (window as HookWindow).__barstream?.markers() ?? []);
}

/** Where signal marker `id` is drawn now (its bar's middle, chart pixels), or null. */
export function markerPoint(page: Page, id: string): Promise<MarkerPoint | null> {
  return page.evaluate((i) => (window as HookWindow).__barstream?.markerPoint(i) ?? null, id);
}

export function chartLegend(page: Page): Promise<HookLegend | null> {
  return page.evaluate(() => (window as HookWindow).__barstream?.legend ?? null);
}

export function timeToX(page: Page, time: number): Promise<number | null> {
  return page.evaluate((t) => (window as HookWindow).__barstream?.timeToX(t) ?? null, time);
}

export function stackDatabase(stack: FullStack): pg.Client {
  return new pg.Client({ connectionString: embeddedDatabaseUrl(stack.ports.pg as number) });
}

/** The broadcaster the stack's supervisor runs: its child running broadcaster's main (the esbuild
 * bundle dist/broadcaster/main.js, or broadcaster/src/main.ts via tsx). */
export function broadcasterPid(stack: FullStack): number {
  const supervisor = stack.process.pid;
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' }).split('\n');
  for (const row of rows) {
    const [pid, ppid, ...args] = row.trim().split(/\s+/);
    if (Number(ppid) === supervisor && /(broadcaster\/src\/main\.ts|dist\/broadcaster\/main\.js)/.test(args.join(' '))) return Number(pid);
  }
  throw new Error(`no broadcaster child of supervisor ${supervisor}`);
}

/**
 * After stack.stop(): SIGKILLs any of the stack's services still running (recognised by the unique
 * metrics port in their environment), so a service slow to honour SIGINT cannot outlive the test
 * run. Returns how many it found.
 */
export function killLeftovers(stack: FullStack): number {
  const marker = `INGESTER_METRICS_PORT=${stack.ports.ingester}`;
  let killed = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(marker)) continue;
      process.kill(Number(entry), 'SIGKILL');
      killed++;
    } catch {
      // gone already, or not ours to read
    }
  }
  return killed;
}

export interface ApiBar {
  timestamp: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  is_closed: boolean;
}

export async function apiBars(
  stack: FullStack,
  contractId: string,
  timeframe: string,
  range: { from?: number; to?: number; limit?: number } = {},
): Promise<ApiBar[]> {
  const q = new URLSearchParams({ contract_id: contractId, timeframe });
  for (const [k, v] of Object.entries(range)) if (v !== undefined) q.set(k, String(v));
  const res = await fetch(`${stack.webUrl}/api/ohlc?${q.toString()}`);
  if (!res.ok) throw new Error(`/api/ohlc ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { bars: ApiBar[] }).bars;
}
