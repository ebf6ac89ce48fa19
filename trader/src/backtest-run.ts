// A backtest of a stored run over stored bars: read the bars and the signals (stored, or computed with
// the analyzer's strategy when it has not stored them, or when a sweep varies its parameters), feed the
// engine in the run's input order, store the records one transaction per batch (progress + NOTIFY), and
// end with the metrics report. The database and the engine work at the same time: the stored signals are
// read while the bars are, and a batch's transaction runs while the engine simulates the next batch.
import { BarColumns, type OhlcBar, type Settings, type StrategyParams } from '@barstream/core';
import { inTransaction, type Pool } from '@barstream/core/node';
import { type SessionBoundaries, type StrategyRunConfig, TradingEngine, TradingError } from '@barstream/core/trading';
import { BacktestRecordWriter } from './backtest-record-writer.ts';
import { backtestMetrics } from './backtest-summary.ts';
import { analyzerParams, computeSignals } from './computed-signals.ts';
import { type ReportJson, reportJson } from './report-json.ts';
import {
  mergeInputs,
  readAnalyzerWatermark,
  readClosedBarColumns,
  readClosedBars,
  readSignals,
  readTicks,
  type RunSignal,
} from './run-inputs.ts';
import type { RunWrite } from './run-record-writer.ts';
import { barKey, type RunSeries, runSeries, signalKey } from './run-series.ts';
import { endRun } from './run-store.ts';

/** A bound just below `from` for readTicks' exclusive lower bound (ticks carry microseconds). */
const TICK_EPSILON_MS = 0.001;

/** Bars per stored batch: one transaction and one trade_update each. */
export const BACKTEST_BATCH_BARS = 50_000;
/** The engine yields to the event loop this often, so a batch's transaction (a dozen round trips) goes
 * on while the next batch is simulated. */
const YIELD_BARS = 2_000;

export interface BacktestJob {
  readonly runId: number;
  readonly config: Extract<StrategyRunConfig, { kind: 'backtest' }>;
  readonly sessions: SessionBoundaries;
  /** A sweep's strategy parameters: the signals are computed with them (never read from storage). */
  readonly params?: StrategyParams;
  /** Bars already read (a sweep shares them between its runs; the CLI reads them first to fail early). */
  readonly bars?: readonly OhlcBar[] | BarColumns;
  /** Store only the round trips and the report (a sweep's runs): the rest is reproducible by running the
   * run's config and params again, and writing every equity point of a hundred runs is most of a sweep. */
  readonly summaryOnly?: boolean;
  /** Bars per stored batch (BACKTEST_BATCH_BARS; tests make it small to cross many batch boundaries). */
  readonly batchBars?: number;
  /** Called once the bars are read or given (bench:trade splits its CPU figures there). */
  readonly onBarsRead?: () => void;
}

export interface BacktestResult {
  readonly report: ReportJson;
  readonly bars: number;
  readonly signals: number;
  /** Where the signals came from. */
  readonly signalSource: 'stored' | 'computed';
}

/** The closed bars of a backtest's range (from ≤ time < to), or a clear error when there are none. */
export async function readBacktestBars(pool: Pool, config: Extract<StrategyRunConfig, { kind: 'backtest' }>): Promise<OhlcBar[]> {
  return someBars(config, await readClosedBars(pool, runSeries(config), Date.parse(config.from) - 1, Date.parse(config.to) - 1));
}

/** readBacktestBars' bars as columns: what a backtest reads (no object per bar kept). */
export async function readBacktestBarColumns(pool: Pool, config: Extract<StrategyRunConfig, { kind: 'backtest' }>): Promise<BarColumns> {
  return someBars(config, await readClosedBarColumns(pool, runSeries(config), Date.parse(config.from) - 1, Date.parse(config.to) - 1));
}

function someBars<T extends { readonly length: number }>(config: Extract<StrategyRunConfig, { kind: 'backtest' }>, bars: T): T {
  const series = runSeries(config);
  if (bars.length === 0) {
    throw new TradingError(
      'no_bars',
      `contract ${config.contract} has no closed ${series.timeframeLabel} bars from ${config.from} to ${config.to} ` +
        '(import or download them first: npm run import / npm run download)',
    );
  }
  return bars;
}

/** The signals of the run: stored ones when the analyzer has processed the whole range, else computed. */
export async function backtestSignals(
  pool: Pool,
  settings: Settings,
  job: BacktestJob,
  bars: BarColumns,
  stored: Promise<StoredSignals> | undefined = job.params === undefined ? readStoredSignals(pool, job.config) : undefined,
): Promise<{ signals: RunSignal[]; source: 'stored' | 'computed' }> {
  const series = runSeries(job.config);
  const from = Date.parse(job.config.from);
  const last = bars.time[bars.length - 1] ?? from;
  if (stored) {
    const { watermark, signals } = await stored;
    if (watermark !== undefined && watermark >= last) {
      // Read up to the range's end (before the bars were known): keep those triggered by its bars.
      return { signals: signals.filter((s) => s.trigger <= last), source: 'stored' };
    }
  }
  const strategy = job.config.signals.strategy;
  if (!strategy) {
    throw new TradingError(
      'no_signals',
      `signals.strategy: needed to compute the signals analyzer ${series.analyzerId} has not stored for ` +
        `${series.contractId} ${series.timeframeLabel} up to ${new Date(last).toISOString()}`,
    );
  }
  // The strategy warms up on every stored bar before the range, as the analyzer's did.
  const warmup = await readClosedBars(pool, series, undefined, from - 1);
  const params = { ...analyzerParams(settings, series), ...job.params };
  return { signals: computeSignals(strategy, params, [...warmup, ...bars.toBars()], series, from), source: 'computed' };
}

interface StoredSignals {
  readonly watermark: number | undefined;
  readonly signals: RunSignal[];
}

/** The analyzer's watermark and its stored signals over the whole range (trigger from ≤ t < to). */
async function readStoredSignals(pool: Pool, config: Extract<StrategyRunConfig, { kind: 'backtest' }>): Promise<StoredSignals> {
  const series = runSeries(config);
  const [watermark, signals] = await Promise.all([
    readAnalyzerWatermark(pool, series),
    readSignals(pool, series, Date.parse(config.from) - 1, Date.parse(config.to) - 1),
  ]);
  return { watermark, signals };
}

export async function executeBacktest(
  pool: Pool,
  settings: Settings,
  job: BacktestJob,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<BacktestResult> {
  const { config, runId } = job;
  try {
    // The stored signals are read while the bars are (a sweep's runs compute theirs).
    const stored = job.params === undefined ? readStoredSignals(pool, config) : undefined;
    stored?.catch(() => undefined); // awaited below; a failed bar read must not leave it unhandled
    const bars =
      job.bars === undefined
        ? await readBacktestBarColumns(pool, config)
        : job.bars instanceof BarColumns
          ? job.bars
          : BarColumns.fromBars(job.bars);
    job.onBarsRead?.();
    const { signals, source } = await backtestSignals(pool, settings, job, bars, stored);
    const series = runSeries(config);
    const report = await simulateAndStore(pool, job, series, bars, signals, onProgress);
    await endRun(pool, runId, config.contract, { status: 'completed', report });
    return { report, bars: bars.length, signals: signals.length, signalSource: source };
  } catch (err) {
    await endRun(pool, runId, config.contract, { status: 'failed', error: (err as Error).message }).catch(() => undefined);
    throw err;
  }
}

async function simulateAndStore(
  pool: Pool,
  job: BacktestJob,
  series: RunSeries,
  bars: BarColumns,
  signals: readonly RunSignal[],
  onProgress: (done: number, total: number) => void,
): Promise<ReportJson> {
  // The report is folded as the records come: a batch's records are garbage once it is written.
  const metrics = backtestMetrics(job.config, job.sessions);
  const writer = new BacktestRecordWriter(job.runId, job.config.contract);
  const engine = new TradingEngine(job.config, {
    runId: `r${job.runId}`,
    sessions: job.sessions,
    // The writer and the report copy each point's numbers as it comes.
    reuseEquityPoints: true,
    emit: (e) => {
      if (!job.summaryOnly || e.type === 'trade' || e.type === 'halt') writer.add(e);
      metrics.add(e);
    },
  });
  const batchBars = job.batchBars ?? BACKTEST_BATCH_BARS;
  let done = 0;
  let through = NaN;
  // One transaction at a time, in order; the engine goes on while one runs.
  let writing: Promise<void> | undefined;
  const flush = async (): Promise<void> => {
    const w: RunWrite = {
      events: [],
      through,
      status: engine.halted ? 'halted' : 'running',
      progress: bars.length === 0 ? 1 : done / bars.length,
    };
    const batch = writer.take();
    const reached = done;
    await writing;
    writing = inTransaction(pool, (client) => writer.store(client, batch, w)).then(() => onProgress(reached, bars.length));
    writing.catch(() => undefined); // its failure is thrown where it is awaited next
  };
  // Tick model: the contract's stored trades inside the bars' range are inputs too.
  const lastBar = bars.time[bars.length - 1];
  const ticks =
    series.ticks && lastBar !== undefined
      ? await readTicks(pool, series, Date.parse(job.config.from) - TICK_EPSILON_MS, barKey(series, lastBar))
      : [];
  if (ticks.length > 0) {
    for (const { key, input } of mergeInputs(series, bars.toBars(), signals, [], ticks)) {
      engine.apply(input);
      through = key;
      if (input.kind !== 'bar') continue;
      if (++done % batchBars === 0) await flush();
      else if (done % YIELD_BARS === 0 && writing) await new Promise(setImmediate);
    }
  } else {
    // mergeInputs' order without its two objects per input: the signals keyed before a bar, the bar (a
    // bar goes first at an equal key), then the signals after the last bar. One bar object and one input
    // are written over for every bar: the engine keeps no input (it copies what it needs of a bar).
    const bar: { -readonly [K in keyof OhlcBar]: OhlcBar[K] } = { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
    const barInput = { kind: 'bar', bar } as const;
    let s = 0;
    const signal = (sig: RunSignal): void => {
      through = barKey(series, sig.trigger);
      engine.apply({ kind: 'signal', key: signalKey(sig.time, sig.type), type: sig.type, time: through, price: sig.price });
    };
    for (let i = 0; i < bars.length; i++) {
      const key = barKey(series, bars.time[i] as number);
      for (let sig = signals[s]; sig !== undefined && barKey(series, sig.trigger) < key; sig = signals[++s]) signal(sig);
      bar.time = bars.time[i] as number;
      bar.open = bars.open[i] as number;
      bar.high = bars.high[i] as number;
      bar.low = bars.low[i] as number;
      bar.close = bars.close[i] as number;
      bar.volume = bars.volume[i] as number;
      engine.apply(barInput);
      through = key;
      if (++done % batchBars === 0) await flush();
      else if (done % YIELD_BARS === 0 && writing) await new Promise(setImmediate);
    }
    for (; s < signals.length; s++) signal(signals[s] as RunSignal);
  }
  await flush();
  await writing;
  return reportJson(metrics.report());
}
