// Download progress on a terminal: one cli-progress bar per contract/timeframe (bars, bars/s, ETA);
// anywhere else one plain line per written range, so logs and CI output stay readable.
import type { Writable } from 'node:stream';
import cliProgress from 'cli-progress';
import type { DownloadProgress, SeriesRef, SeriesSummary, WindowResult } from './download-history.ts';
import type { SeriesPlan } from './download-plan.ts';
import { formatCount, formatRange } from './report-format.ts';

/** Progress hooks plus a way to print a line without tearing the bars, and to end the display. */
export interface ProgressDisplay extends DownloadProgress {
  log(line: string): void;
  stop(): void;
}

/** Where progress goes: a terminal gets bars, anything else (a pipe, a file, a test) lines. */
export type ProgressStream = Writable & { readonly isTTY?: boolean };

export function progressDisplay(stream: ProgressStream): ProgressDisplay {
  return stream.isTTY ? new BarDisplay(stream) : new LineDisplay((line) => stream.write(`${line}\n`));
}

interface SeriesBar {
  readonly bar: cliProgress.SingleBar;
  readonly startedAt: number;
  value: number;
  total: number;
}

class BarDisplay implements ProgressDisplay {
  private readonly multibar: cliProgress.MultiBar;
  private readonly bars = new Map<string, SeriesBar>();

  constructor(stream: Writable) {
    this.multibar = new cliProgress.MultiBar(
      {
        stream,
        hideCursor: true,
        clearOnComplete: false,
        barsize: 30,
        etaBuffer: 20,
        format: '{series} [{bar}] {value}/{total} bars | {rate} bars/s | ETA {eta_formatted} | {status}',
      },
      cliProgress.Presets.shades_classic,
    );
  }

  planned(series: SeriesRef, plan: SeriesPlan): void {
    const total = plan.windows.reduce((n, w) => n + w.expected, 0);
    const status = plan.windows.length === 0 ? 'up to date' : `${plan.windows.length} range(s) to fetch`;
    const bar = this.multibar.create(Math.max(total, 1), 0, { series: series.label.padEnd(26), rate: '0', status });
    this.bars.set(series.label, { bar, startedAt: performance.now(), value: 0, total });
  }

  written(series: SeriesRef, result: WindowResult): void {
    const entry = this.bars.get(series.label);
    if (!entry) return;
    entry.value += result.fetched;
    // Sessions with fewer bars than the calendar allows end below the estimate; extra vendor bars above it.
    if (entry.value > entry.total) {
      entry.total = entry.value;
      entry.bar.setTotal(entry.total);
    }
    const seconds = (performance.now() - entry.startedAt) / 1000;
    entry.bar.update(entry.value, {
      rate: formatCount(seconds > 0 ? entry.value / seconds : 0),
      status: `to ${formatRange(result.window.to)}`,
    });
  }

  finished(summary: SeriesSummary): void {
    const entry = this.bars.get(summary.label);
    if (!entry) return;
    if (summary.outcome === 'done') entry.bar.setTotal(Math.max(entry.value, 1));
    entry.bar.update(summary.outcome === 'done' ? Math.max(entry.value, 1) : entry.value, { status: summary.outcome });
  }

  log(line: string): void {
    this.multibar.log(`${line}\n`);
  }

  stop(): void {
    this.multibar.stop();
  }
}

export class LineDisplay implements ProgressDisplay {
  constructor(private readonly write: (line: string) => void) {}

  planned(series: SeriesRef, plan: SeriesPlan): void {
    const covered = plan.status.filter((s) => s === 'covered').length;
    const expected = plan.windows.reduce((n, w) => n + w.expected, 0);
    this.write(
      `${series.label}: ${plan.chunks.length} chunks, ${covered} already stored; ` +
        (plan.windows.length === 0 ? 'nothing to fetch' : `${plan.windows.length} range(s) to fetch, ~${formatCount(expected)} bars`),
    );
  }

  written(series: SeriesRef, r: WindowResult): void {
    this.write(
      `${series.label} ${formatRange(r.window.from)} → ${formatRange(r.window.to)}: fetched ${formatCount(r.fetched)}, ` +
        `inserted ${formatCount(r.inserted)}, updated ${formatCount(r.updated)}, unchanged ${formatCount(r.unchanged)}` +
        (r.rejected > 0 ? `, rejected ${formatCount(r.rejected)}` : ''),
    );
  }

  log(line: string): void {
    this.write(line);
  }

  stop(): void {}
}
