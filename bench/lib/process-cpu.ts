// CPU time of a process and its descendants (Linux /proc), for per-request server CPU: unlike
// latency, it hardly depends on how many other processes share the machine.
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function ownTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name (which may hold spaces): utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    if (text) children.push(...text.split(' ').map(Number));
  }
  return children;
}

/** Milliseconds of CPU (user + system) used so far by `pid` and every live descendant; 0 on non-Linux. */
export function processTreeCpuMs(pid: number): number {
  try {
    let ticks = ownTicks(pid);
    for (const child of childrenOf(pid)) ticks += (processTreeCpuMs(child) * TICKS_PER_SECOND) / 1000;
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Milliseconds of CPU used so far by `pid`, its live descendants and its children that have exited
 * (cutime/cstime: a database server's backends come and go with their connections). */
export function serverCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const reaped = ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
    return processTreeCpuMs(pid) + reaped;
  } catch {
    return 0;
  }
}

/** Milliseconds of live-tree ticks of `pid` (as processTreeCpuMs), or undefined when a process vanished
 * during the walk (instead of counting its subtree as 0). */
function treeTicksOrUndefined(pid: number): number | undefined {
  try {
    let ticks = ownTicks(pid);
    for (const child of childrenOf(pid)) {
      const t = treeTicksOrUndefined(child);
      if (t === undefined) return undefined;
      ticks += t;
    }
    return ticks;
  } catch {
    return undefined;
  }
}

/** Milliseconds of CPU used by this process's children that have exited and been waited for (cutime and
 * cstime of /proc/self/stat, what getrusage(RUSAGE_CHILDREN) answers): read before and after a spawnSync,
 * the child's own CPU, its descendants that it waited for included, at the kernel's 10 ms resolution. */
export function reapedChildrenCpuMs(): number {
  return (reapedTicks(process.pid) * 1000) / TICKS_PER_SECOND;
}

function reapedTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[13]) + Number(fields[14]);
}

/** serverCpuMs read so that a backend exiting during the read is counted once, not lost: the exited
 * children's total is read before and after the walk of the live ones, and the read is tried again while
 * that total moved or a process vanished mid-walk (a backend reaped between the two parts of an unchecked
 * read drops its CPU: bench:ingest once printed 0.05 µs a tick for a floor that took ~3). Undefined when
 * no consistent read came in `attempts` tries, or /proc cannot be read. */
export function serverCpuMsChecked(pid: number, attempts = 50): number | undefined {
  for (let i = 0; i < attempts; i++) {
    try {
      const before = reapedTicks(pid);
      const live = treeTicksOrUndefined(pid);
      const after = reapedTicks(pid);
      if (live !== undefined && before === after && Number.isFinite(live + after)) return ((live + after) * 1000) / TICKS_PER_SECOND;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Microseconds of CPU per tick between two checked reads of serverCpuMsChecked: 'failed' when either read
 * gave no consistent figure (said so, not printed as a number). */
export function cpuPerTick(beforeMs: number | undefined, afterMs: number | undefined, ticks: number): number | 'failed' {
  if (beforeMs === undefined || afterMs === undefined || afterMs < beforeMs) return 'failed';
  return ((afterMs - beforeMs) * 1000) / ticks;
}

/** Microseconds of the database server's CPU per tick while `work` ran: undefined when it runs elsewhere,
 * 'failed' when a read of /proc did not give a consistent figure. */
export async function databaseCpu<T>(
  pid: number | undefined,
  ticks: (value: T) => number,
  work: () => Promise<T>,
): Promise<[T, number | 'failed' | undefined]> {
  const before = pid === undefined ? undefined : serverCpuMsChecked(pid);
  const value = await work();
  if (pid === undefined) return [value, undefined];
  return [value, cpuPerTick(before, serverCpuMsChecked(pid), ticks(value))];
}

/** Milliseconds of CPU so far of each live child of `pid` (a database server's backends and helpers), by
 * PID, with its command line's title ("postgres: walwriter", "postgres: user db [local] COPY"): a diagnostic
 * of where a server's CPU went. A process that vanished during the read is left out. */
export function childrenCpuMs(pid: number): Map<number, { title: string; ms: number }> {
  const out = new Map<number, { title: string; ms: number }>();
  for (const child of childrenOf(pid)) {
    try {
      const title = readFileSync(`/proc/${child}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      out.set(child, { title, ms: (ownTicks(child) * 1000) / TICKS_PER_SECOND });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}
