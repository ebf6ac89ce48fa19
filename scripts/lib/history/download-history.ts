// Downloads history for contracts × timeframes: plans what is missing, fetches it window by window
// (the next window is fetched while the current one is written), writes each window in its own
// transaction, then checks the stored range against the trading hours for gaps.
import {
  barProblem,
  calendarFor,
  type ContractBar,
  type ContractSettings,
  formatTimeframe,
  type OhlcBar,
  type Settings,
  type Timeframe,
} from '@barstream/core';
import { inTransaction, type Pool } from '@barstream/core/node';
import { ProjectXAuthError } from '../../../ingester/src/providers/projectx/projectx-errors.ts';
import { upsertClosedBars } from './bar-writer.ts';
import { type DateRange, type FetchWindow, planSeries, type SeriesPlan } from './download-plan.ts';
import { findGaps, type GapReport } from './gap-finder.ts';
import type { HistorySource } from './history-source.ts';
import { TradingHours } from './trading-hours.ts';

export interface DownloadRequest {
  readonly contracts: readonly ContractSettings[];
  readonly timeframes: readonly Timeframe[];
  readonly range: DateRange;
  /** Fetch chunks already stored too. */
  readonly force: boolean;
  /** Plan and report only: no bars fetched, nothing written. */
  readonly dryRun: boolean;
}

export interface SeriesRef {
  readonly contractId: string;
  readonly timeframe: Timeframe;
  /** 'CON.F.US.MES.M25 5m' */
  readonly label: string;
}

/** One window as written: what came back and what it did to the table. */
export interface WindowResult {
  readonly window: FetchWindow;
  readonly fetched: number;
  readonly rejected: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

/** Hooks for progress display; every method is optional. */
export interface DownloadProgress {
  planned?(series: SeriesRef, plan: SeriesPlan): void;
  written?(series: SeriesRef, result: WindowResult): void;
  finished?(summary: SeriesSummary): void;
}

export type SeriesOutcome = 'done' | 'planned' | 'interrupted' | 'failed';

export interface SeriesSummary extends SeriesRef {
  readonly outcome: SeriesOutcome;
  readonly error?: string;
  readonly chunks: number;
  readonly coveredChunks: number;
  readonly noSessionChunks: number;
  readonly windows: number;
  readonly windowsWritten: number;
  /** Bars the trading hours expect in the windows to fetch. */
  readonly expected: number;
  readonly fetched: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Vendor bars that broke the bar rules, skipped (with the first reason). */
  readonly rejected: number;
  readonly firstRejection?: string;
  readonly gaps?: GapReport;
}

export interface DownloadSummary {
  readonly series: readonly SeriesSummary[];
  readonly interrupted: boolean;
  readonly failed: boolean;
  readonly elapsedMs: number;
}

export interface DownloadDeps {
  readonly pool: Pool;
  readonly source: HistorySource;
  readonly settings: Settings;
  readonly progress?: DownloadProgress;
  /** Stops between windows; a window being written is finished first, so it is stored whole or not at all. */
  readonly signal?: AbortSignal;
  readonly now?: () => number;
  /** Series downloaded at once; they share the client's rate limit. */
  readonly concurrency?: number;
  /** Expected bars per fetch window (default: the source's). */
  readonly windowBars?: number;
}

const DEFAULT_CONCURRENCY = 2;

export async function downloadHistory(request: DownloadRequest, deps: DownloadDeps): Promise<DownloadSummary> {
  const started = performance.now();
  for (const tf of request.timeframes) deps.source.checkTimeframe(tf);
  const jobs = request.contracts.flatMap((contract) => request.timeframes.map((timeframe) => ({ contract, timeframe })));
  const results: SeriesSummary[] = new Array<SeriesSummary>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index] as (typeof jobs)[number];
      results[index] = await downloadSeries(job.contract, job.timeframe, request, deps);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(deps.concurrency ?? DEFAULT_CONCURRENCY, jobs.length)) }, worker));
  return {
    series: results,
    interrupted: deps.signal?.aborted === true,
    failed: results.some((r) => r.outcome === 'failed'),
    elapsedMs: performance.now() - started,
  };
}

async function downloadSeries(
  contract: ContractSettings,
  timeframe: Timeframe,
  request: DownloadRequest,
  deps: DownloadDeps,
): Promise<SeriesSummary> {
  const ref: SeriesRef = { contractId: contract.id, timeframe, label: `${contract.id} ${formatTimeframe(timeframe)}` };
  const now = (deps.now ?? Date.now)();
  const hours = new TradingHours(calendarFor(deps.settings, contract));
  const counts = {
    windowsWritten: 0,
    fetched: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    firstRejection: undefined as string | undefined,
  };
  let plan: SeriesPlan | undefined;
  let outcome: SeriesOutcome = request.dryRun ? 'planned' : 'done';
  let error: string | undefined;
  try {
    if (deps.signal?.aborted) throw deps.signal.reason;
    plan = await planSeries(deps.pool, contract.id, timeframe, hours, request.range, {
      now,
      force: request.force,
      maxBarsPerWindow: deps.windowBars ?? deps.source.windowBars,
    });
    deps.progress?.planned?.(ref, plan);
    if (!request.dryRun) {
      await fetchAndWrite(
        ref,
        plan.windows,
        deps,
        (result) => {
          counts.windowsWritten++;
          counts.fetched += result.fetched;
          counts.inserted += result.inserted;
          counts.updated += result.updated;
          counts.unchanged += result.unchanged;
          counts.rejected += result.rejected;
          deps.progress?.written?.(ref, result);
        },
        (reason) => {
          counts.firstRejection ??= reason;
        },
      );
    }
  } catch (err) {
    // Credentials refused: no other series can succeed either.
    if (err instanceof ProjectXAuthError) throw err;
    if (deps.signal?.aborted) {
      outcome = 'interrupted';
    } else {
      outcome = 'failed';
      error = err instanceof Error ? err.message : String(err);
    }
  }
  const gaps = plan && outcome !== 'interrupted' ? await findGaps(deps.pool, contract.id, timeframe, hours, plan.chunks, now) : undefined;
  const chunks = plan?.chunks.length ?? 0;
  const summary: SeriesSummary = {
    ...ref,
    outcome,
    ...(error === undefined ? {} : { error }),
    chunks,
    coveredChunks: plan?.status.filter((s) => s === 'covered').length ?? 0,
    noSessionChunks: plan?.status.filter((s) => s === 'no_session').length ?? 0,
    windows: plan?.windows.length ?? 0,
    expected: plan?.windows.reduce((n, w) => n + w.expected, 0) ?? 0,
    ...counts,
    ...(gaps ? { gaps } : {}),
  };
  deps.progress?.finished?.(summary);
  return summary;
}

/** Fetches window i+1 while window i is written; stops after the window in hand when the signal fires. */
async function fetchAndWrite(
  ref: SeriesRef,
  windows: readonly FetchWindow[],
  deps: DownloadDeps,
  onWritten: (result: WindowResult) => void,
  onRejected: (reason: string) => void,
): Promise<void> {
  const fetchWindow = (w: FetchWindow): Promise<OhlcBar[]> =>
    deps.source.fetchBars(ref.contractId, ref.timeframe, w.from, w.to, deps.signal);
  let pending: Promise<OhlcBar[]> | undefined = windows[0] ? fetchWindow(windows[0]) : undefined;
  for (let i = 0; pending; i++) {
    const window = windows[i] as FetchWindow;
    const bars = await pending;
    const following = windows[i + 1];
    pending = following && !deps.signal?.aborted ? fetchWindow(following) : undefined;
    // Marked handled now: if writing this window fails, nobody awaits the prefetch.
    pending?.catch(() => undefined);
    const accepted = acceptBars(bars, window, ref, onRejected);
    const results = accepted.length === 0 ? [] : await inTransaction(deps.pool, (client) => upsertClosedBars(client, accepted));
    const written = results[0];
    onWritten({
      window,
      fetched: bars.length,
      rejected: bars.length - accepted.length,
      inserted: written?.inserted ?? 0,
      updated: written?.updated ?? 0,
      unchanged: written?.unchanged ?? 0,
    });
    if (following && deps.signal?.aborted) throw deps.signal.reason;
  }
}

function acceptBars(bars: readonly OhlcBar[], window: FetchWindow, ref: SeriesRef, onRejected: (reason: string) => void): ContractBar[] {
  const accepted: ContractBar[] = [];
  for (const bar of bars) {
    const problem = bar.time < window.from || bar.time >= window.to ? `outside the requested range` : barProblem(bar);
    if (problem !== undefined) {
      onRejected(`${new Date(bar.time).toISOString()}: ${problem}`);
      continue;
    }
    accepted.push({
      contractId: ref.contractId,
      unit: ref.timeframe.unit,
      value: ref.timeframe.value,
      time: bar.time,
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume: bar.volume,
      isClosed: true,
    });
  }
  return accepted;
}
