// Where a bar close → signal_detected latency goes, bar by bar (bench:analyze's 200 bars/s): marks taken
// as each bar passes a stage. The analyzer service runs in this process and is watched from outside:
// TargetRunner#noteBar (its LISTEN delivered the bar) and the pg client's query calls (the pass's bar read,
// its store-and-notify statement), patched while installed. The bar writer and the signal_detected listener
// run in a child process (bench/analyze-bar-source.ts) whose marks (sent, flushed, received) are added after
// the run: every mark is epoch ms from its process's monotonic clock (performance.timeOrigin + now()).
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { TargetRunner } from '../../analyzer/src/target-runner.ts';
import { type GcTally, startGcTally } from './gc-tally.ts';
import { percentile } from './report.ts';

interface Marks {
  sent?: number;
  flushed?: number;
  noted?: number;
  readIssued?: number;
  storeIssued?: number;
  storeDone?: number;
  received?: number;
}

/** The stages of bar close → signal_detected, each from one mark to another (the second starts at `sent`
 * too: the bar's NOTIFY leaves with its commit); `short` names it in the slowest 1 %'s line. */
const STAGES: ReadonlyArray<{ label: string; short: string; from: keyof Marks; to: keyof Marks }> = [
  { label: 'bar written and committed (bar source, writeFlush)', short: 'write', from: 'sent', to: 'flushed' },
  { label: 'bar sent → its NOTIFY at the analyzer (noteBar)', short: 'notify', from: 'sent', to: 'noted' },
  { label: 'noted → its pass reads the bar (runner queue, pool)', short: 'queue', from: 'noted', to: 'readIssued' },
  { label: 'bar read issued → store-and-notify issued (read, feed)', short: 'read+feed', from: 'readIssued', to: 'storeIssued' },
  { label: 'store-and-notify statement (insert, NOTIFY, commit)', short: 'store', from: 'storeIssued', to: 'storeDone' },
  { label: 'statement done → signal_detected at the listener', short: 'delivery', from: 'storeDone', to: 'received' },
];

const key = (contractId: string, time: number): string => `${contractId}|${time}`;
/** The clock every mark is on, in both processes. */
const epochNow = (): number => performance.timeOrigin + performance.now();

/** Marks per bar between install() and uninstall(); report() prints each stage's p50 / p99 / max. */
export class LiveSignalStages {
  private readonly marks = new Map<string, Marks>();
  /** Bars noted and not yet read, per contract (the next bar read of that contract reads them). */
  private readonly awaitingRead = new Map<string, Marks[]>();
  private readonly gcPauses: { start: number; duration: number; kind: number; flags: number }[] = [];
  private cpuAtInstall = process.cpuUsage();
  private cpuInWindow: NodeJS.CpuUsage | undefined;
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 1 });
  private readonly gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      this.gcPauses.push({
        start: performance.timeOrigin + e.startTime,
        duration: e.duration,
        kind: (e as { detail?: { kind?: number } }).detail?.kind ?? 0,
        flags: (e as { detail?: { flags?: number } }).detail?.flags ?? 0,
      });
  });
  private restore: (() => void) | undefined;
  private stopGcTally: (() => GcTally) | undefined;
  private gcTally: GcTally | undefined;
  private rssAtEnd = 0;

  install(): void {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- restored below, called with the runner as `this`
    const noteBar = TargetRunner.prototype.noteBar;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- restored below, called with the client as `this`
    const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the patches need this tracker and their own `this`
    const stages = this;
    TargetRunner.prototype.noteBar = function (this: TargetRunner, time: number, bar) {
      // The bar's first mark in this process (the child's come after the run).
      let m = stages.marks.get(key(this.unit.contractId, time));
      if (m === undefined) stages.marks.set(key(this.unit.contractId, time), (m = {}));
      if (m.noted === undefined) {
        m.noted = epochNow();
        const waiting = stages.awaitingRead.get(this.unit.contractId) ?? [];
        waiting.push(m);
        stages.awaitingRead.set(this.unit.contractId, waiting);
      }
      return noteBar.call(this, time, bar);
    };
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const now = epochNow();
      const first = args[0] as { text?: unknown } | string;
      const text = typeof first === 'string' ? first : typeof first?.text === 'string' ? first.text : '';
      if (text.startsWith('COPY (SELECT "timestamp"')) {
        const contract = /contract_id = '([^']*)'/.exec(text)?.[1];
        for (const m of (contract && stages.awaitingRead.get(contract)?.splice(0)) || []) m.readIssued = now;
      } else if (text.includes('WITH inserted AS')) {
        // Values beside the text, or in the query config ({ name, text, values }).
        const values = (Array.isArray(args[1]) ? args[1] : (first as { values?: unknown[] }).values) as unknown[];
        const bars = (values[5] as string[]).map((iso) => stages.marks.get(key(values[2] as string, Date.parse(iso))));
        for (const m of bars) if (m) m.storeIssued = now;
        const done = (): void => {
          const at = epochNow();
          for (const m of bars) if (m) m.storeDone = at;
        };
        // pg-pool passes a callback (and gets no promise back); a client's own call gets a promise.
        const callback = args[2];
        if (typeof callback === 'function') {
          args[2] = (...results: unknown[]) => {
            done();
            return (callback as (...a: unknown[]) => unknown)(...results);
          };
        } else {
          const result = query.apply(this, args);
          void (result as Promise<unknown>).then(done, () => undefined);
          return result;
        }
      }
      return query.apply(this, args);
    } as typeof pg.Client.prototype.query;
    this.gcObserver.observe({ entryTypes: ['gc'] });
    this.loopDelay.enable();
    this.cpuAtInstall = process.cpuUsage();
    this.stopGcTally = startGcTally();
    this.restore = () => {
      TargetRunner.prototype.noteBar = noteBar;
      pg.Client.prototype.query = query as typeof pg.Client.prototype.query;
      this.gcObserver.disconnect();
      this.loopDelay.disable();
    };
  }

  uninstall(): void {
    this.cpuInWindow = process.cpuUsage(this.cpuAtInstall);
    this.rssAtEnd = process.memoryUsage().rss;
    this.gcTally = this.stopGcTally?.();
    this.restore?.();
    this.restore = undefined;
  }

  /** The bar writer's and the listener's marks of one bar (epoch ms, from the child process). */
  source(contractId: string, time: number, at: { sent: number; flushed: number; received?: number }): void {
    const m = this.marks.get(key(contractId, time)) ?? {};
    this.marks.set(key(contractId, time), Object.assign(m, at));
  }

  report(): void {
    const all = [...this.marks.values()].filter((m): m is Marks & { sent: number } => m.sent !== undefined);
    const stage = (name: string, from: keyof Marks, to: keyof Marks): void => {
      const d: number[] = [];
      for (const m of all) {
        const [a, b] = [m[from], m[to]];
        if (a !== undefined && b !== undefined) d.push(b - a);
      }
      d.sort((x, y) => x - y);
      const ms = (p: number): string => percentile(d, p).toFixed(2).padStart(7);
      console.log(`    ${name.padEnd(52)} p50 ${ms(50)}  p99 ${ms(99)}  max ${ms(100)} ms  (${d.length})`);
    };
    console.log('  bar close → signal_detected by stage (marks per bar; stages overlap where noted):');
    for (const st of STAGES) stage(st.label, st.from, st.to);
    stage('total', 'sent', 'received');
    // The slowest 1 %: the stage that took the longest in each, and whether a GC pause fell inside it.
    const slow = all
      .filter((m) => m.received !== undefined)
      .sort((a, b) => (b.received as number) - b.sent - ((a.received as number) - a.sent))
      .slice(0, Math.max(1, Math.round(all.length / 100)));
    const worst = new Map<string, number>();
    let withGc = 0;
    for (const m of slow) {
      let top = '';
      let topMs = -1;
      for (const st of STAGES) {
        const [a, b] = [m[st.from], m[st.to]];
        if (a !== undefined && b !== undefined && b - a > topMs) [top, topMs] = [st.short, b - a];
      }
      worst.set(top, (worst.get(top) ?? 0) + 1);
      if (this.gcPauses.some((g) => g.start < (m.received as number) && g.start + g.duration > m.sent && g.duration >= 1)) withGc++;
    }
    console.log(
      `    slowest ${slow.length}: longest stage ${[...worst].map(([n, c]) => `${n} ×${c}`).join(', ')}; ${withGc} overlap a GC pause ≥ 1 ms`,
    );
    // NODE_PERFORMANCE_GC_* kinds: 1 scavenge (young generation), 2 mark-compact, 4 incremental marking, 8 weak callbacks.
    const kinds = new Map<number, { n: number; ms: number; max: number; external: number }>();
    for (const g of this.gcPauses) {
      const k = kinds.get(g.kind) ?? { n: 0, ms: 0, max: 0, external: 0 };
      // NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY: V8 collected because off-heap memory (ArrayBuffers, Buffers) grew.
      const external = k.external + (g.flags & 32 ? 1 : 0);
      kinds.set(g.kind, { n: k.n + 1, ms: k.ms + g.duration, max: Math.max(k.max, g.duration), external });
    }
    const kindName: Record<number, string> = { 1: 'scavenge', 2: 'mark-compact', 4: 'incremental', 8: 'weak callbacks' };
    const gc = [...kinds].map(
      ([kind, k]) =>
        `${kindName[kind] ?? kind} ×${k.n}${k.external ? ` (${k.external} for external memory)` : ''} ${k.ms.toFixed(0)} ms (longest ${k.max.toFixed(1)})`,
    );
    const cpu = this.cpuInWindow ? ((this.cpuInWindow.user + this.cpuInWindow.system) / 1000).toFixed(0) : '?';
    console.log(
      `    the analyzer's process in the window: CPU ${cpu} ms; RSS at its end ${(this.rssAtEnd / 2 ** 20).toFixed(0)} MB; GC ${gc.join(', ') || 'none'}`,
    );
    const t = this.gcTally;
    if (t) {
      const mb = (b: number): string => (b / 1e6).toFixed(1);
      const spaces = Object.entries(t.oldAllocatedBySpace)
        .filter(([, b]) => b >= 1e5)
        .map(([name, b]) => `${name} ${mb(b)}`)
        .join(', ');
      // What drives the full collections: objects promoted by scavenges, and those allocated straight into the old generation.
      console.log(
        `    its old generation grew by: promoted ${mb(t.promotedBytes)} MB, allocated there ${mb(t.oldAllocatedBytes)} MB (${spaces})`,
      );
    }
    console.log(
      `    event-loop delay p99 ${(this.loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(this.loopDelay.max / 1e6).toFixed(1)} ms`,
    );
  }
}
