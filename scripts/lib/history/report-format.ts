// Text for people: counts, times and the end-of-download summary table.
import type { ImportReport } from './bar-file-import.ts';
import { sumCounts } from './bar-writer.ts';
import type { DownloadSummary, SeriesSummary } from './download-history.ts';

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 'YYYY-MM-DD HH:MM' in UTC (bar labels are UTC; seconds never matter at these timeframes). */
export function formatRange(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

const COLUMNS = ['series', 'chunks', 'stored', 'fetched', 'inserted', 'updated', 'unchanged', 'gaps', 'result'] as const;

/** The summary as lines: one row per series, the first gap ranges of each, then totals. */
export function formatDownloadSummary(summary: DownloadSummary): string[] {
  const rows = summary.series.map((s) => [
    s.label,
    formatCount(s.chunks - s.noSessionChunks),
    formatCount(s.coveredChunks),
    formatCount(s.fetched),
    formatCount(s.inserted),
    formatCount(s.updated),
    formatCount(s.unchanged),
    s.gaps ? formatCount(s.gaps.missing) : '-',
    outcomeText(s),
  ]);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = [line(COLUMNS), ...rows.map(line)];
  for (const s of summary.series) {
    if (s.error) lines.push(`${s.label}: ${s.error}`);
    if (s.rejected > 0) lines.push(`${s.label}: ${formatCount(s.rejected)} vendor bar(s) rejected, e.g. ${s.firstRejection ?? ''}`);
    if (!s.gaps || s.gaps.missing === 0) continue;
    const listed = s.gaps.ranges.map(
      (g) => `${formatRange(g.first)}${g.bars > 1 ? ` → ${formatRange(g.last)}` : ''} (${formatCount(g.bars)})`,
    );
    const more = s.gaps.rangeCount - s.gaps.ranges.length;
    lines.push(
      `${s.label}: ${formatCount(s.gaps.missing)} of ${formatCount(s.gaps.expected)} expected bars missing in ` +
        `${formatCount(s.gaps.rangeCount)} range(s): ${listed.join(', ')}${more > 0 ? `, … ${formatCount(more)} more` : ''}`,
    );
  }
  const total = summary.series.reduce(
    (t, s) => ({
      fetched: t.fetched + s.fetched,
      inserted: t.inserted + s.inserted,
      updated: t.updated + s.updated,
      unchanged: t.unchanged + s.unchanged,
      gaps: t.gaps + (s.gaps?.missing ?? 0),
    }),
    { fetched: 0, inserted: 0, updated: 0, unchanged: 0, gaps: 0 },
  );
  const seconds = summary.elapsedMs / 1000;
  lines.push(
    `total: fetched ${formatCount(total.fetched)}, inserted ${formatCount(total.inserted)}, updated ${formatCount(total.updated)}, ` +
      `unchanged ${formatCount(total.unchanged)}, gaps ${formatCount(total.gaps)} bars; ${seconds.toFixed(1)} s` +
      (total.fetched > 0 && seconds > 0 ? ` (${formatCount(total.fetched / seconds)} bars/s)` : '') +
      (summary.interrupted ? ' — INTERRUPTED: run the same command again to resume' : ''),
  );
  return lines;
}

function outcomeText(s: SeriesSummary): string {
  if (s.outcome === 'planned')
    return s.windows === 0 ? 'up to date' : `would fetch ~${formatCount(s.expected)} bars in ${s.windows} range(s)`;
  return s.outcome;
}

/** Bad rows listed before the rest are summarised: enough to see the pattern, not a flood. */
const LISTED_BAD_ROWS = 20;

/** Lines for one imported file: the outcome, then its bad rows. */
export function formatImportReport(report: ImportReport, seconds: number): string[] {
  const total = sumCounts(report.results);
  const name = `${report.file} (${report.format})`;
  const lines: string[] = [];
  if (report.committed) {
    lines.push(
      `${name}: ${formatCount(total.rows)} bars → inserted ${formatCount(total.inserted)}, updated ${formatCount(total.updated)}, ` +
        `unchanged ${formatCount(total.unchanged)} in ${seconds.toFixed(2)} s` +
        (seconds > 0 ? ` (${formatCount(total.rows / seconds)} bars/s)` : '') +
        (report.errors.length > 0 ? `; ${formatCount(report.errors.length)} bad row(s) skipped` : ''),
    );
  } else if (report.errors.length > 0) {
    lines.push(
      `${name}: ${formatCount(report.errors.length)} bad row(s); nothing written (fix the file, or pass --skip-bad-rows to write the other ` +
        `${formatCount(report.barCount)})`,
    );
  } else {
    lines.push(`${name}: no bars`);
  }
  for (const e of report.errors.slice(0, LISTED_BAD_ROWS)) lines.push(`  line ${e.line}: ${e.reason}`);
  if (report.errors.length > LISTED_BAD_ROWS) lines.push(`  … ${formatCount(report.errors.length - LISTED_BAD_ROWS)} more bad row(s)`);
  return lines;
}
