// CPU time of the calling process's main thread alone (process.cpuUsage() counts every thread), from
// /proc/self/task/<pid>/stat: Linux only, in clock ticks (10 ms), so meant for runs of seconds.
import { readFileSync } from 'node:fs';
/** USER_HZ: the unit of utime and stime in /proc on every Linux Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Milliseconds of user + system CPU the main thread has used so far. */
export function threadCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15, i.e. 12 and 13 after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}
