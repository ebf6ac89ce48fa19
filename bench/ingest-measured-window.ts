// bench:ingest's measured window in the pipeline process: what it took from its start (the first measured
// hand-on) to its end (every tick stored) — wall time, the process's CPU (all threads, the main one, each
// helper), its GC, the load generator's CPU and, given the postmaster's PID, the database server's; given a
// directory, a V8 CPU profile of the window alone (a warm run's: `node --cpu-prof` would hold the warm-up too).
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { type GcTally, startGcTally } from './lib/gc-tally.ts';
import { childrenCpuMs, processTreeCpuMs, reapedChildrenCpuMs, serverCpuMsChecked } from './lib/process-cpu.ts';
import { allThreadsCpu, threadCpuMs } from './lib/thread-cpu.ts';

export interface WindowFigures {
  readonly seconds: number;
  readonly nodeCpuMs: number;
  readonly mainThreadCpuMs: number;
  readonly threadCpuMsByName: Readonly<Record<string, number>>;
  readonly gc: GcTally;
  readonly generatorCpuMs: number;
  readonly dbCpuMs?: number | 'failed';
}

const NO_GC: GcTally = {
  scavenges: 0,
  markCompacts: 0,
  pauseMs: 0,
  promotedBytes: 0,
  oldAllocatedBytes: 0,
  largeObjectBytes: 0,
  oldAllocatedBySpace: {},
};

export class MeasuredWindow {
  private startedAt: number | undefined;
  private cpu = process.cpuUsage();
  private mainThread = 0;
  private threads = new Map<number, number>();
  private stopGcTally: (() => GcTally) | undefined;
  private generatorCpu = 0;
  private dbCpu: number | undefined;
  private profiler: Session | undefined;
  private dbChildren = new Map<number, { title: string; ms: number }>();

  /** @param mark With BENCH_PIPELINE_STDOUT (a diagnostic, e.g. --node-flags=--trace-gc), the window's start
   * and end are printed, so a trace can be read for the window alone. */
  constructor(
    private readonly postmaster: number | undefined,
    private readonly mark: boolean,
    private readonly profile?: { dir: string; name: string },
  ) {}

  get started(): boolean {
    return this.startedAt !== undefined;
  }

  /** Opens the window once; `generatorPid` is the load generator's (its CPU before the window is left out). */
  start(generatorPid: number | undefined): void {
    if (this.startedAt !== undefined) return;
    this.startedAt = performance.now();
    this.cpu = process.cpuUsage();
    this.mainThread = threadCpuMs();
    this.threads = new Map(allThreadsCpu().map((t) => [t.tid, t.cpuMs]));
    this.stopGcTally = startGcTally();
    this.generatorCpu = generatorPid === undefined ? 0 : processTreeCpuMs(generatorPid);
    this.dbCpu = this.postmaster === undefined ? undefined : serverCpuMsChecked(this.postmaster);
    if (this.mark && this.postmaster !== undefined) this.dbChildren = childrenCpuMs(this.postmaster);
    if (this.mark) console.log(`### measured window: start ${process.hrtime.bigint()} pid ${process.pid}`);
    this.startProfile();
  }

  /** Starts the profiler ahead of the window when the caller knows it is about to open: starting it takes
   * ~0.25 s of the main thread (V8 logs every compiled function), which would otherwise be inside it. */
  startProfile(): void {
    if (!this.profile || this.profiler) return;
    // A session on this thread answers each command before post returns.
    this.profiler = new Session();
    this.profiler.connect();
    this.profiler.post('Profiler.enable');
    this.profiler.post('Profiler.setSamplingInterval', { interval: 100 });
    this.profiler.post('Profiler.start');
  }

  private writeProfile(): void {
    const { profiler, profile } = this;
    if (!profiler || !profile) return;
    profiler.post('Profiler.stop', (error, result) => {
      if (error) throw error;
      mkdirSync(profile.dir, { recursive: true });
      writeFileSync(join(profile.dir, `${profile.name}.cpuprofile`), JSON.stringify(result.profile));
    });
    profiler.disconnect();
  }

  /** Closes the window, after the load generator (this process's only child) has exited and been waited for. */
  end(): WindowFigures {
    const seconds = (performance.now() - (this.startedAt ?? 0)) / 1000;
    const cpu = process.cpuUsage(this.cpu);
    this.writeProfile();
    const dbCpuAtEnd = this.postmaster === undefined ? undefined : serverCpuMsChecked(this.postmaster);
    const mainThreadCpuMs = threadCpuMs() - this.mainThread;
    // Node 20 names none of its threads but the main one apart ('node' all): the main thread is 'main', the others
    // ranked by their CPU in the window ('other 1' the busiest), so the busiest helper shows apart from the rest.
    const threadCpuMsByName: Record<string, number> = { main: mainThreadCpuMs };
    const spent = allThreadsCpu().map((t) => ({ ...t, ms: t.cpuMs - (this.threads.get(t.tid) ?? 0) }));
    spent
      .filter((t) => t.tid !== process.pid && t.ms > 0)
      .sort((a, b) => b.ms - a.ms)
      .forEach((t, k) => (threadCpuMsByName[`other ${k + 1} (${t.name})`] = t.ms));
    if (this.mark) {
      // Where the process's CPU went in the window, by thread (the main one has the process's id; the others
      // are V8's GC and compiler helpers, libuv's, tsx's loader): a thread that ended meanwhile is not counted.
      const byThread = spent
        .map((t) => ({ tid: t.tid === process.pid ? 'main' : `+${t.tid - process.pid}`, ms: t.ms }))
        .filter((t) => t.ms >= 1)
        .sort((a, b) => b.ms - a.ms);
      console.log(`### threads' CPU in the window, ms: ${byThread.map((t) => `${t.tid} ${t.ms.toFixed(0)}`).join(', ')}`);
      if (this.postmaster !== undefined) {
        // The database server's CPU in the window by process (backends by PID, with their title at the end).
        const byProcess = [...childrenCpuMs(this.postmaster)]
          .map(([pid, c]) => ({ pid, title: c.title.replace(/^postgres: /, ''), ms: c.ms - (this.dbChildren.get(pid)?.ms ?? 0) }))
          .filter((c) => c.ms > 0)
          .sort((a, b) => b.ms - a.ms);
        console.log(
          `### database processes' CPU in the window, ms: ${byProcess.map((c) => `${c.pid} ${c.title} ${c.ms.toFixed(0)}`).join('; ')}`,
        );
      }
      console.log(`### measured window: end ${process.hrtime.bigint()}`);
    }
    const db =
      this.postmaster === undefined
        ? {}
        : {
            dbCpuMs:
              this.dbCpu === undefined || dbCpuAtEnd === undefined || dbCpuAtEnd < this.dbCpu
                ? ('failed' as const)
                : dbCpuAtEnd - this.dbCpu,
          };
    return {
      seconds,
      nodeCpuMs: (cpu.user + cpu.system) / 1000,
      mainThreadCpuMs,
      threadCpuMsByName,
      gc: this.stopGcTally?.() ?? NO_GC,
      // The generator's whole CPU is now this process's reaped children's.
      generatorCpuMs: reapedChildrenCpuMs() - this.generatorCpu,
      ...db,
    };
  }
}
