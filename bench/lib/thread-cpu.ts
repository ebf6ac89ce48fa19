// CPU time of single threads of this process (process.cpuUsage() counts every thread), from Linux's
// /proc: the scheduler's run time in nanoseconds (schedstat) where the kernel keeps it, else utime + stime
// in clock ticks (10 ms, so meant for runs of seconds). Linux only.
import { readdirSync, readFileSync } from 'node:fs';
/** USER_HZ: the unit of utime and stime in /proc on every Linux Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

function taskCpuMs(taskDir: string): number {
  try {
    // schedstat: "<ns on cpu> <ns waiting> <timeslices>"; all zeros where schedstats are off.
    const onCpuNs = Number(readFileSync(`${taskDir}/schedstat`, 'utf8').split(' ')[0]);
    if (onCpuNs > 0) return onCpuNs / 1e6;
  } catch {
    // No schedstat in this kernel: the tick counts below.
  }
  return ticksCpuMs(taskDir);
}

function ticksCpuMs(taskDir: string): number {
  const stat = readFileSync(`${taskDir}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15, i.e. 12 and 13 after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Milliseconds of CPU another process (all its threads) has used so far, from /proc/<pid>/stat (10 ms ticks). */
export function processCpuMs(pid: number): number {
  return ticksCpuMs(`/proc/${pid}`);
}

/** Milliseconds of user + system CPU the process's main thread has used so far. */
export function threadCpuMs(): number {
  return taskCpuMs(`/proc/self/task/${process.pid}`);
}

/** Milliseconds of CPU the calling thread (main or worker) has used so far. */
export function currentThreadCpuMs(): number {
  return taskCpuMs('/proc/thread-self');
}

export interface ThreadCpu {
  readonly tid: number;
  /** The thread's name: 'node' (main), 'V8Worker', 'libuv-worker', 'WorkerThread' (a worker_threads Worker), … */
  readonly name: string;
  readonly cpuMs: number;
}

/** Every live thread of the process with its CPU so far (a thread that ended since is not listed). */
export function allThreadsCpu(): ThreadCpu[] {
  const threads: ThreadCpu[] = [];
  for (const tid of readdirSync('/proc/self/task')) {
    const dir = `/proc/self/task/${tid}`;
    try {
      threads.push({ tid: Number(tid), name: readFileSync(`${dir}/comm`, 'utf8').trim(), cpuMs: taskCpuMs(dir) });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}
