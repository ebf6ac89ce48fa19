// bench:web's traces: a Chromium performance trace of one navigation, cut to a window between two of
// the chart's marks (the first paint: 'bars-received' → 'bars-painted'; a cold navigation: its start →
// 'chart-started' → 'bars-painted'), and summed by what ran: the page's
// own measures inside it (web/lib/chart/perf-marks.ts), the main thread's top-level tasks by kind
// (the bars' microtask, animation frames, timers, React's scheduler messages), garbage collection,
// style, layout and paint, and JavaScript self time by function from the sampling profiler.
import { readFileSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';

let traces = 0;

/** Blink's own mark for the navigation's start (a trace event, not a performance entry). */
const NAVIGATION_START = 'navigationStart';

/** Trace categories: the timeline's tasks, user timing, GC and the V8 sampling profiler. */
const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink.user_timing',
  'v8',
  'v8.execute',
  'disabled-by-default-v8.gc',
  'disabled-by-default-v8.cpu_profiler',
];

interface TraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly id?: string;
  readonly args?: Record<string, unknown>;
}

interface ProfileNode {
  readonly id: number;
  readonly parent?: number;
  readonly callFrame: {
    readonly functionName?: string;
    readonly url?: string;
    readonly lineNumber?: number;
    readonly columnNumber?: number;
  };
}

/** BENCH_WEB_SOURCEMAP=<chart-boot.js.map>: the chart boot script served is the named build of
 * web/chart-boot-build.ts, and its functions are listed by their source (file:line of the function in
 * lightweight-charts' development bundle or in our sources), not as "(anonymous) chart-boot.js". */
const SOURCE_MAP_FILE = process.env.BENCH_WEB_SOURCEMAP;
let sourceMap: SourceMap | undefined;

function sourceOf(frame: ProfileNode['callFrame']): string | undefined {
  if (!SOURCE_MAP_FILE || !frame.url?.endsWith('/chart-boot.js') || frame.lineNumber === undefined) return undefined;
  sourceMap ??= new SourceMap(JSON.parse(readFileSync(SOURCE_MAP_FILE, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  const entry = sourceMap.findEntry(frame.lineNumber, frame.columnNumber ?? 0) as { originalSource?: string; originalLine?: number };
  if (!entry.originalSource || entry.originalLine === undefined) return undefined;
  return `${entry.originalSource.replace(/^.*node_modules\//, '').replace(/^.*\/web\//, 'web/')}:${entry.originalLine + 1}`;
}

export interface TraceSummary {
  readonly window: TraceWindow;
  readonly windowMs: number;
  /** Main-thread CPU (thread time) in the window: what the load average hardly moves. */
  readonly cpuMs: number;
  /** Main-thread busy ms in the window by event name (top-level tasks and what they hold). */
  readonly byKind: ReadonlyArray<readonly [string, number]>;
  /** The page's performance.measure entries inside the window, in order. */
  readonly measures: ReadonlyArray<readonly [string, number]>;
  /** JavaScript self time (sampled) by function and script, largest first. */
  readonly selfByFunction: ReadonlyArray<readonly [string, number]>;
  /** Sampled self time by script (a chunk's file name). */
  readonly selfByScript: ReadonlyArray<readonly [string, number]>;
}

export async function startTrace(browser: Browser, page: Page): Promise<void> {
  await browser.startTracing(page, { categories: CATEGORIES, screenshots: false });
}

/** Stops the trace and sums it up; `keep`: the trace is written to a file too (Chrome's JSON, for
 * DevTools' Performance panel; 3–6 MB). */
export async function stopTrace(browser: Browser, keep: boolean): Promise<TraceSummary> {
  const [summary] = await stopTraceWindows(browser, keep, [FIRST_PAINT_WINDOW]);
  if (!summary) throw new Error('no trace summary');
  return summary;
}

/** Stops the trace and sums up each of `windows` in it (see stopTrace). */
export async function stopTraceWindows(browser: Browser, keep: boolean, windows: readonly TraceWindow[]): Promise<TraceSummary[]> {
  const buffer = await browser.stopTracing();
  if (keep) {
    const file = join(tmpdir(), `barstream-trace-${process.pid}-${++traces}.json`);
    writeFileSync(file, buffer);
    console.log(`(trace: ${file})`);
  }
  const events = traceEvents(buffer);
  return windows.map((w) => summarize(events, w));
}

/** The window a summary covers: from one of the page's marks (or the navigation's start) to another. */
export interface TraceWindow {
  readonly from: string;
  readonly to: string;
}

/** The first paint: the bars' arrival to their first drawing (web/lib/chart/perf-marks.ts). */
export const FIRST_PAINT_WINDOW: TraceWindow = { from: 'bars-received', to: 'bars-painted' };
/** Where a cold navigation's time goes before the chart has mounted: the scripts and hydration. */
export const TO_MOUNT_WINDOW: TraceWindow = { from: NAVIGATION_START, to: 'chart-started' };
/** After the mount: the bars (already here on a cold navigation) parsed, set and drawn. */
export const MOUNT_TO_CANDLES_WINDOW: TraceWindow = { from: 'chart-started', to: 'bars-painted' };
/** A cold navigation to its candles, whoever drew them (the chart boot script before hydration, or the
 * chart component after it): the main thread's CPU in it is the critical path's share the load moves least. */
export const TO_CANDLES_WINDOW: TraceWindow = { from: NAVIGATION_START, to: 'bars-painted' };

/** Parses a stopped trace once for several windows. */
function traceEvents(buffer: Buffer): readonly TraceEvent[] {
  const parsed = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

/** Events this summary counts on the main thread (nested ones are counted inside their parent's
 * time as their own line: a FunctionCall inside a RunTask shows in both). */
const KINDS = new Set([
  'RunTask',
  'FunctionCall',
  'RunMicrotasks',
  'v8.runMicrotasks',
  'FireAnimationFrame',
  'TimerFire',
  'EventDispatch',
  'HandlePostMessage',
  'ParseHTML',
  'EvaluateScript',
  'v8.compile',
  'v8.compileModule',
  'MinorGC',
  'MajorGC',
  'V8.GC_SCAVENGER',
  'V8.GC_MARK_COMPACTOR',
  'V8.GC_MC_BACKGROUND_MARKING',
  'BlinkGC.AtomicPhase',
  'UpdateLayoutTree',
  'Layout',
  'PrePaint',
  'Paint',
  'Layerize',
  'Commit',
  'ScheduleStyleRecalculation',
  'HitTest',
  'ResourceReceivedData',
  'ResourceFinish',
  'XHRReadyStateChange',
]);

function summarize(events: readonly TraceEvent[], window: TraceWindow = FIRST_PAINT_WINDOW): TraceSummary {
  const mark = (name: string): TraceEvent | undefined => events.find((e) => e.name === name && e.cat.includes('user_timing'));
  const painted = mark(window.to);
  // The navigation's start: the one whose navigationId the end mark carries (the page has others:
  // about:blank's, an iframe's).
  const navigationId = (e: TraceEvent | undefined): unknown => (e?.args?.data as { navigationId?: string } | undefined)?.navigationId;
  const received =
    window.from === NAVIGATION_START
      ? events.find((e) => e.name === NAVIGATION_START && navigationId(e) !== undefined && navigationId(e) === navigationId(painted))
      : mark(window.from);
  if (!received || !painted) throw new Error(`trace has no ${window.from} / ${window.to} marks`);
  const { pid, tid } = painted;
  const from = received.ts;
  const to = painted.ts;
  const overlap = (e: TraceEvent): number => Math.max(0, Math.min(to, e.ts + (e.dur ?? 0)) - Math.max(from, e.ts));
  const main = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X');
  const byKind = new Map<string, number>();
  let cpu = 0;
  for (const e of main) {
    // A task's thread time, the part of it inside the window (pro rata).
    if (e.name === 'RunTask' && e.dur && e.tdur !== undefined) cpu += (e.tdur * overlap(e)) / e.dur;
  }
  for (const e of main) {
    if (!KINDS.has(e.name)) continue;
    const ms = overlap(e) / 1000;
    if (ms > 0) byKind.set(e.name, (byKind.get(e.name) ?? 0) + ms);
  }
  // FunctionCall's script, for where a call came from (a chunk name).
  for (const e of main) {
    if (e.name !== 'FunctionCall' && e.name !== 'FireAnimationFrame' && e.name !== 'TimerFire') continue;
    const ms = overlap(e) / 1000;
    if (ms < 1) continue;
    const data = (e.args?.data ?? {}) as { url?: string; functionName?: string };
    const key = `  ${e.name} ${data.functionName ?? ''} ${scriptName(data.url ?? '')}`.trimEnd();
    byKind.set(key, (byKind.get(key) ?? 0) + ms);
  }
  const measures = userMeasures(events, pid, from, to);
  const { byFunction, byScript } = sampledSelfTime(events, pid, tid, from, to);
  const sorted = (m: Map<string, number>): Array<[string, number]> => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return {
    window,
    windowMs: (to - from) / 1000,
    cpuMs: cpu / 1000,
    byKind: sorted(byKind),
    measures,
    selfByFunction: sorted(byFunction).slice(0, 25),
    selfByScript: sorted(byScript),
  };
}

function userMeasures(events: readonly TraceEvent[], pid: number, from: number, to: number): Array<[string, number]> {
  // Async begin/end pairs ('b'/'e') for performance.measure, matched by id.
  const begins = new Map<string, TraceEvent>();
  const out: Array<[string, number, number]> = [];
  for (const e of events) {
    if (e.pid !== pid || !e.cat.includes('user_timing')) continue;
    const key = `${e.name}/${e.id ?? ''}`;
    if (e.ph === 'b') begins.set(key, e);
    else if (e.ph === 'e') {
      const b = begins.get(key);
      if (b && b.ts >= from - 1 && e.ts <= to + 1) out.push([e.name, (e.ts - b.ts) / 1000, b.ts]);
    }
  }
  return out.sort((a, b) => a[2] - b[2]).map(([n, ms]) => [n, ms]);
}

function scriptName(url: string | undefined): string {
  if (url === undefined || url === '') return '';
  const path = url.replace(/^[a-z]+:\/\/[^/]+/, '');
  return path.split('/').at(-1) ?? path;
}

/** Self time per function from the trace's ProfileChunk samples, inside [from, to]. */
function sampledSelfTime(
  events: readonly TraceEvent[],
  pid: number,
  tid: number,
  from: number,
  to: number,
): { byFunction: Map<string, number>; byScript: Map<string, number> } {
  const byFunction = new Map<string, number>();
  const byScript = new Map<string, number>();
  const profiles = new Map<string, { nodes: Map<number, ProfileNode>; ts: number }>();
  for (const e of events) {
    if (e.pid !== pid) continue;
    if (e.name === 'Profile' && e.tid === tid) {
      const start = (e.args?.data as { startTime?: number } | undefined)?.startTime ?? e.ts;
      profiles.set(e.id ?? '', { nodes: new Map(), ts: start });
      continue;
    }
    if (e.name !== 'ProfileChunk') continue;
    const profile = profiles.get(e.id ?? '');
    if (!profile) continue;
    const data = e.args?.data as { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] } | undefined;
    for (const n of data?.cpuProfile?.nodes ?? []) profile.nodes.set(n.id, n);
    const samples = data?.cpuProfile?.samples ?? [];
    const deltas = data?.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      const previous = profile.ts;
      profile.ts += deltas[i] ?? 0;
      if (profile.ts < from || profile.ts > to) continue;
      const node = profile.nodes.get(samples[i] ?? -1);
      if (!node) continue;
      const ms = (profile.ts - previous) / 1000;
      const { functionName, url } = node.callFrame;
      const script = scriptName(url) || '(native)';
      if (functionName === '(idle)') continue;
      const name = `${functionName || '(anonymous)'} ${sourceOf(node.callFrame) ?? script}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
      byScript.set(script, (byScript.get(script) ?? 0) + ms);
    }
  }
  return { byFunction, byScript };
}

export function printTraceSummary(s: TraceSummary): void {
  console.log(`trace: ${s.window.from} → ${s.window.to} ${s.windowMs.toFixed(1)} ms, main-thread CPU ${s.cpuMs.toFixed(1)} ms`);
  for (const [name, ms] of s.measures) console.log(`  measure ${name}: ${ms.toFixed(1)} ms`);
  console.log('  main thread by event (nested events are inside their parents):');
  for (const [name, ms] of s.byKind) if (ms >= 0.5) console.log(`    ${name}: ${ms.toFixed(1)} ms`);
  console.log('  sampled JavaScript self time by script:');
  for (const [name, ms] of s.selfByScript) if (ms >= 0.5) console.log(`    ${name}: ${ms.toFixed(1)} ms`);
  console.log('  by function (top 25):');
  for (const [name, ms] of s.selfByFunction) if (ms >= 0.5) console.log(`    ${name}: ${ms.toFixed(1)} ms`);
}
