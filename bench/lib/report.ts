// Benchmark output: the machine, then figures, one per line.
import { cpus, loadavg, totalmem } from 'node:os';

/** The title, the machine and (for benches that use one) the database. */
export function printMachine(title: string, database?: string): void {
  const cpu = cpus();
  console.log(`# ${title}`);
  console.log(
    `machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  if (database !== undefined) console.log(`database: ${database}`);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export function figure(name: string, value: number | string, unit = '', note = ''): void {
  const v = typeof value === 'number' ? (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2)) : value;
  console.log(`${name.padEnd(48)} ${v} ${unit}${note ? `   (${note})` : ''}`);
}

/** The 1, 5 and 15 minute load averages: on a shared machine wall-clock figures depend on them. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

export function printLoad(when: 'before' | 'after'): void {
  console.log(`load average ${when}: ${loadAverage()} (1/5/15 min, ${cpus().length} cores)`);
}
