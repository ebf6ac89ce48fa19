// The load average beside a benchmark's figures: on a shared machine it says what they are worth.
import { loadavg } from 'node:os';

export function printLoadAverage(when: 'before' | 'after'): void {
  console.log(
    `load average ${when}: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (1, 5, 15 min)`,
  );
}
