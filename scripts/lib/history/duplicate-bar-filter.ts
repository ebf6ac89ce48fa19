// Drops the second and later rows for one bar as they are parsed, each reported as an error naming the
// first: one upsert may not touch a row twice, and a file that says two things about one bar is wrong.
import type { CsvRowError } from '@barstream/core/node';
import type { BarColumns, BarSeries } from './bar-columns.ts';

export class DuplicateBarFilter {
  /** Per series, the latest time kept so far: files run forward in time, so a later time is new. */
  private readonly latest: number[] = [];
  /** Per series, time → line of every row kept, built once the series first steps back in time. */
  private readonly seen: Array<Map<number, number> | undefined> = [];
  private found = 0;

  /** How many duplicates were dropped so far. */
  get dropped(): number {
    return this.found;
  }

  /** Checks rows [from, cols.length), closing the gaps the dropped ones leave. */
  filter(cols: BarColumns, from: number, errors: CsvRowError[]): void {
    const { seriesOf, time, line } = cols;
    let kept = from;
    for (let i = from; i < cols.length; i++) {
      const s = seriesOf[i] as number;
      const t = time[i] as number;
      let seen = this.seen[s];
      if (seen === undefined) {
        const latest = this.latest[s] ?? -Infinity;
        if (t > latest) {
          this.latest[s] = t;
          if (kept !== i) cols.move(i, kept);
          kept++;
          continue;
        }
        seen = this.index(cols, s, kept);
      }
      const first = seen.get(t);
      if (first !== undefined) {
        const series = cols.series[s] as BarSeries;
        errors.push({
          line: line[i] as number,
          reason: `duplicate of line ${first} (${series.contractId} ${series.label} ${new Date(t).toISOString()})`,
        });
        this.found++;
        continue;
      }
      seen.set(t, line[i] as number);
      if (kept !== i) cols.move(i, kept);
      kept++;
    }
    cols.length = kept;
  }

  /** time → line of the rows of series `s` kept in [0, end). */
  private index(cols: BarColumns, s: number, end: number): Map<number, number> {
    const seen = new Map<number, number>();
    for (let i = 0; i < end; i++) if (cols.seriesOf[i] === s) seen.set(cols.time[i] as number, cols.line[i] as number);
    this.seen[s] = seen;
    return seen;
  }
}
