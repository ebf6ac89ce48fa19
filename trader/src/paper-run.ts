// One live paper run: rebuilt on start by replaying the inputs it already processed (bars, signals,
// commands up to its watermark), then advanced by `step()`: pending commands first (applied at the
// current input key, which is written back to run_commands.at so a replay puts them in the same place),
// then the closed bars the analyzer has finished (its watermark) and the signals they triggered; with the
// `tick` fill model also the stored trades, on into the forming bar (woken by tick_data_channel), so an
// order fills on the first trade after its latency, not when the bar closes. Each step's records, the
// watermark and the trade_update NOTIFY commit in one transaction (one statement).
import type { Logger, Pool } from '@barstream/core/node';
import {
  type EngineEvent,
  resumeEngine,
  type SessionBoundaries,
  type StrategyRunConfig,
  type TradingEngine,
} from '@barstream/core/trading';
import { PaperMarkNotifier } from './paper-mark.ts';
import { readStepInputs } from './paper-step-inputs.ts';
import { mergeInputs, readClosedBars, readCommands, readLiveTicks, readSignals, readTicks, type RunTick } from './run-inputs.ts';
import { RunRecordWriter } from './run-record-writer.ts';
import { barKey, type RunSeries, runSeries } from './run-series.ts';

/** Just below a run's first instant, for readTicks' exclusive lower bound (ticks carry microseconds). */
const TICK_EPSILON_MS = 0.001;

/** The last key a paper step may feed trades up to, ahead of the closed bars (tick model): the key of the
 * bar after the analyzer's watermark. Every bar up to the watermark is closed and fed (the step read them
 * all), and any later bar starts at least one step later, so its key is at or after this bound: a trade up
 * to it comes before every bar still to come, in the order a backtest merges them (ticks first on a tie). */
export function liveTickBound(series: RunSeries, analyzed: number | undefined): number | undefined {
  return analyzed === undefined ? undefined : barKey(series, analyzed + series.stepMs);
}

/** At most this many bars per transaction when a run catches up. */
const STEP_BARS = 2_000;

/** Where one step's time went (ms): the read statement, the engine, the write statement. */
export interface PaperStepTiming {
  readonly readMs: number;
  readonly engineMs: number;
  readonly writeMs: number;
  readonly bars: number;
}

export interface PaperRunRow {
  readonly runId: number;
  readonly config: StrategyRunConfig;
  readonly sessions: SessionBoundaries;
  /** First bar time the run trades (strategy_runs.range_from). */
  readonly fromMs: number;
  /** Key of the last input processed (strategy_runs.watermark), undefined before the first. */
  readonly watermark: number | undefined;
  /** settings trader.paper_synchronous_commit (default: wait for the flush). */
  readonly synchronousCommit?: boolean;
  /** settings trader.paper_mark_interval_ms: the live mark's NOTIFY at most this often (tick model). */
  readonly markIntervalMs?: number;
}

/** The live mark's default interval (settings trader.paper_mark_interval_ms). */
const MARK_INTERVAL_MS = 1_000;

export class PaperRun {
  readonly series: RunSeries;
  /** Tick model: the live mark between closed bars. */
  private readonly marks: PaperMarkNotifier | undefined;
  private engine!: TradingEngine;
  private writer!: RunRecordWriter;
  private pending: EngineEvent[] = [];
  /** Key of the last input the engine processed (ahead of the stored one after trades that did nothing). */
  private watermark: number | undefined;
  /** strategy_runs.watermark as this run last wrote or read it: where the next write continues. */
  private storedWatermark: number | undefined;
  private lastSeq = 0;
  private running: Promise<void> | undefined;
  private again = false;
  /** A step failed after the engine moved on: rebuild it from the stored inputs before the next. */
  private reopen = false;
  stopped = false;
  lastError: Error | undefined;

  constructor(
    private readonly pool: Pool,
    readonly row: PaperRunRow,
    private readonly logger: Logger,
    /** Called after each step that stored something (metrics, benchmarks). */
    private readonly onStep?: (timing: PaperStepTiming) => void,
  ) {
    this.series = runSeries(row.config);
    this.watermark = row.watermark;
    this.storedWatermark = row.watermark;
    this.marks = this.series.ticks
      ? new PaperMarkNotifier(pool, { runId: row.runId, contractId: row.config.contract }, row.markIntervalMs ?? MARK_INTERVAL_MS)
      : undefined;
  }

  get runId(): number {
    return this.row.runId;
  }

  /** Rebuilds the engine from the stored inputs up to the watermark (their records are stored). */
  async open(): Promise<void> {
    const w = this.watermark;
    const lastBar = w === undefined ? this.row.fromMs - 1 : w - this.series.stepMs + 1;
    const [bars, signals, commands] = await Promise.all([
      w === undefined ? [] : readClosedBars(this.pool, this.series, this.row.fromMs - 1, lastBar),
      w === undefined ? [] : readSignals(this.pool, this.series, this.row.fromMs - 1, lastBar),
      readCommands(this.pool, this.runId),
    ]);
    const applied = commands.filter((c) => w !== undefined && c.at <= w);
    this.lastSeq = applied.reduce((m, c) => Math.max(m, c.seq), 0);
    const ticks = this.series.ticks && w !== undefined ? await readTicks(this.pool, this.series, this.row.fromMs - TICK_EPSILON_MS, w) : [];
    const replay = [...mergeInputs(this.series, bars, signals, applied, ticks)].map((k) => k.input);
    this.engine = resumeEngine(
      this.row.config,
      { runId: `r${this.runId}`, sessions: this.row.sessions, emit: (e) => this.pending.push(e) },
      replay,
    );
    this.writer = await RunRecordWriter.resume(this.pool, this.runId, this.row.config.contract);
  }

  /** Advances the run as far as the stored inputs allow; concurrent calls coalesce into one more pass. */
  step(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          if (this.reopen) {
            this.pending = [];
            // From what is stored, not from memory: a write may have failed after committing (its answer
            // lost), or committed writes may be gone (a database crash before they were flushed).
            this.watermark = await this.readStoredWatermark();
            this.storedWatermark = this.watermark;
            await this.open();
            this.reopen = false;
          }
          while (!this.stopped && (await this.stepOnce())) {
            // another chunk of bars
          }
        } while (this.again && !this.stopped);
        this.lastError = undefined;
      } catch (err) {
        this.lastError = err as Error;
        this.reopen = true;
        this.logger.error({ run: this.runId, err: (err as Error).message }, 'paper run step failed; retried on the next wake-up');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** One transaction's worth; true when more bars may be waiting. Two round trips when nothing is ticked:
   * one statement reads the step's inputs, one stores its records (paper-step-inputs.ts,
   * run-record-statement.ts). Tick model: a third reads the trades up to the closed bars and, once caught
   * up, on into the bar that is forming (liveTickBound); a step that only moved the clock stores nothing. */
  private async stepOnce(): Promise<boolean> {
    const t0 = performance.now();
    const lastBar = this.watermark === undefined ? this.row.fromMs - 1 : this.watermark - this.series.stepMs + 1;
    const { bars, signals, commands, analyzed } = await readStepInputs(this.pool, this.series, {
      runId: this.runId,
      afterBar: lastBar,
      afterSeq: this.lastSeq,
      maxBars: STEP_BARS,
    });
    const through = bars.length > 0 ? (bars[bars.length - 1]?.time as number) : lastBar;
    let ticks: RunTick[] = [];
    if (this.series.ticks) {
      const after = this.watermark ?? this.row.fromMs - TICK_EPSILON_MS;
      const settled = barKey(this.series, through);
      const live = bars.length < STEP_BARS ? liveTickBound(this.series, analyzed) : undefined;
      if (live !== undefined && live > settled) ticks = await readLiveTicks(this.pool, this.series, after, live, settled);
      else if (bars.length > 0) ticks = await readTicks(this.pool, this.series, after, settled);
    }
    if (bars.length === 0 && commands.length === 0 && ticks.length === 0) return false;
    const t1 = performance.now();
    // Commands take the current key: after everything processed so far, before the new bars.
    const at = this.watermark ?? this.row.fromMs - 1;
    const placed = commands.map((c) => ({ ...c, at }));
    let key = this.watermark;
    for (const k of mergeInputs(this.series, bars, signals, placed, ticks)) {
      this.engine.apply(k.input);
      key = k.key;
    }
    const events = this.pending;
    this.pending = [];
    const t2 = performance.now();
    this.watermark = key;
    if (events.length === 0 && placed.length === 0) {
      // Trades that filled nothing: the clock moved in memory only. A restart replays them from the ticks
      // table (the stored watermark is where that replay stops), and they produce nothing again.
      await this.marks?.afterTrades(this.engine, key);
      return false;
    }
    // The records, the watermark, the commands' `at` and trade_update: one statement, one transaction.
    await this.writer.writeOneStatement(
      this.pool,
      { events, through: key ?? null, status: this.engine.halted ? 'halted' : 'running' },
      {
        after: this.storedWatermark ?? null,
        commands: { seqs: placed.map((c) => c.seq), at },
        synchronousCommit: this.row.synchronousCommit ?? true,
      },
    );
    this.storedWatermark = key;
    if (placed.length > 0) this.lastSeq = Math.max(this.lastSeq, ...placed.map((c) => c.seq));
    this.onStep?.({ readMs: t1 - t0, engineMs: t2 - t1, writeMs: performance.now() - t2, bars: bars.length });
    return bars.length === STEP_BARS;
  }

  private async readStoredWatermark(): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ w: number | null }>(
      'SELECT (extract(epoch FROM watermark) * 1000)::float8 AS w FROM strategy_runs WHERE run_id = $1',
      [this.runId],
    );
    return rows[0]?.w ?? undefined;
  }

  /** Waits for a step in progress; later wake-ups do nothing. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  health(): Record<string, unknown> {
    return {
      run_id: this.runId,
      strategy: this.row.config.id,
      watermark: this.watermark === undefined ? null : new Date(this.watermark).toISOString(),
      halted: this.engine?.halted ?? false,
      error: this.lastError?.message ?? null,
    };
  }
}
