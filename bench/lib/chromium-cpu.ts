// CPU time of Chromium's processes (Linux /proc), per process, so that a page load's CPU can be read
// while the machine is shared: the browser process, its renderers (children of the zygotes), the GPU
// and utility processes. The load average moves wall times by seconds; these far less.
import { readdirSync, readFileSync } from 'node:fs';

/** The Chromium browser process: this process's child running the Chromium binary. */
export function chromiumPid(): number {
  for (const task of readdirSync(`/proc/${process.pid}/task`)) {
    const children = readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8').trim();
    for (const pid of children ? children.split(' ').map(Number) : []) {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (/chrom/i.test(cmd.split('\0')[0] ?? '')) return pid;
    }
  }
  throw new Error('no Chromium process under this one');
}

/** CPU ms so far of `pid` and each live descendant, by pid (/proc utime + stime). */
export function treeCpu(pid: number, into = new Map<number, number>()): Map<number, number> {
  let tasks: string[];
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    into.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return into; // exited
  }
  for (const task of tasks) {
    let children = '';
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    } catch {
      // a thread that ended during the walk
    }
    for (const child of children ? children.split(' ').map(Number) : []) treeCpu(child, into);
  }
  return into;
}

/** CPU the processes alive at `after` used since `before` (a process new since then: all of it). A
 * process that exited in between is left out: the last context's renderer, idle by then. */
export function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0);
  return sum;
}

function processType(pid: number): string {
  try {
    // Zygote children rewrite their title: the arguments are one space-separated string there.
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser';
    const sub = /--utility-sub-type=([\w.]+)/.exec(cmd)?.[1];
    return sub ? `${type}:${sub.split('.').at(-1)}` : type;
  } catch {
    return 'gone';
  }
}

/** CPU ms of each of `pid`'s threads, summed by thread name. */
function threadCpu(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/[\d:]+$/, '');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) * 10);
      } catch {
        // ended
      }
    }
  } catch {
    // exited
  }
  return byName;
}

/** cpuSince by Chromium process type (browser, renderer, gpu-process, utility:NetworkService…);
 * `threads`: a renderer new since `before` (the navigation's own) also by thread name ('  name'). */
export function cpuByType(before: Map<number, number>, after: Map<number, number>, threads = false): Map<string, number> {
  const byType = new Map<string, number>();
  for (const [pid, ms] of after) {
    const type = processType(pid);
    byType.set(type, (byType.get(type) ?? 0) + ms - (before.get(pid) ?? 0));
    // A renderer new since `before` (this navigation's): its threads by name.
    if (threads && type === 'renderer' && !before.has(pid)) {
      for (const [name, threadMs] of threadCpu(pid)) byType.set(`  ${name}`, (byType.get(`  ${name}`) ?? 0) + threadMs);
    }
  }
  return byType;
}
