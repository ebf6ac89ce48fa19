// One SMC study instance: its rows in smc_events / zones kept equal to the live engine's answer on the
// window's stored bars. On start (and whenever a stored bar inside the processed range changes) it
// recomputes from the window's first bar — the batch answer with the engine's tags (smcAnswerRows), fast
// on long windows — and reconciles the tables to it; then each closed bar is fed once, in order, to the
// live engine (warmed with the window's bars when the first new bar arrives), and the rows it changed
// are written with their NOTIFY.
import {
  type OhlcBar,
  smcAnswerRows,
  SmcBarSeries,
  type SmcRowChange,
  SmcLiveEngine,
  smcTableOf,
  smcTableRow,
  type SmcTableRow,
  ValidationError,
} from '@barstream/core';
import type { Logger, Pool } from '@barstream/core/node';
import { closedBarsAfter, PAGE_SIZE } from './closed-bars.ts';
import type { SmcInstance } from './smc-instances.ts';
import { readStoredSmcRows, sameSmcRow, smcRowKey } from './smc-stored-rows.ts';
import { type SmcRowDelete, writeSmcRows } from './smc-store.ts';
import { resolveFirstBar } from './smc-study-window.ts';

export interface SmcRunnerEvents {
  onBars(instance: SmcInstance, count: number): void;
  onRows(instance: SmcInstance, events: number, zones: number): void;
  onRejectedBar(instance: SmcInstance, reason: string): void;
}

export type SmcReadBars = (instance: SmcInstance, afterMs: number | undefined, limit: number) => Promise<OhlcBar[]>;

export class SmcRunner {
  /** Error of the last pass, if it failed (database trouble: retried on the next notification or sweep). */
  lastError: Error | undefined;
  /** The window was recomputed and the tables reconciled (false: recompute on the next pass). */
  private rebuilt = false;
  /** The live engine, fed every bar of the window; undefined until the first bar after a recompute. */
  private engine: SmcLiveEngine | undefined;
  /** The window's accepted bars as columns (row i at times[i]), kept to warm the engine with (dropped once
   * it is warm): a million bar objects held until then would cost seconds of old-generation GC. */
  private window: SmcBarSeries | undefined;
  /** Bar time of each window row. */
  private times: number[] = [];
  private firstBar: number | undefined;
  /** Time of the last bar read (fed, or rejected and skipped). */
  private lastRead: number | undefined;
  private committedThrough: number | undefined;
  private noted: { time: number; bar: OhlcBar | undefined }[] = [];
  private rebuildRequested = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly readBars: SmcReadBars;

  constructor(
    readonly instance: SmcInstance,
    private readonly pool: Pool,
    private readonly logger: Logger,
    private readonly events: SmcRunnerEvents,
    readBars?: SmcReadBars,
  ) {
    this.readBars = readBars ?? ((i, after, limit) => closedBarsAfter(pool, i, after, limit));
  }

  /** The last bar whose rows are committed. */
  get through(): number | undefined {
    return this.committedThrough;
  }

  /** A closed bar was stored or changed (`bar` undefined: bars were imported from `time` on). */
  noteBar(time: number, bar?: OhlcBar): Promise<void> {
    this.noted.push({ time, bar });
    return this.catchUp();
  }

  /** Notifications may have been lost: the next pass recomputes from the window's first bar. */
  requestRebuild(): void {
    this.rebuildRequested = true;
  }

  /** Processes every closed bar not yet fed; serialised per instance. */
  catchUp(): Promise<void> {
    this.queue = this.queue
      .then(() => this.runOnce())
      .then(
        () => {
          this.lastError = undefined;
        },
        (err: unknown) => {
          this.lastError = err as Error;
          // Memory may be ahead of the tables: the next pass recomputes and reconciles.
          this.rebuilt = false;
          this.engine = undefined;
          this.logger.warn({ study: this.instance.key, err: (err as Error).message }, 'SMC pass failed; will retry');
        },
      );
    return this.queue;
  }

  private async runOnce(): Promise<void> {
    this.judgeNotedBars();
    if (!this.rebuilt || this.rebuildRequested) {
      this.rebuildRequested = false;
      await this.rebuild();
      if (!this.rebuilt) return; // last: N and no stored bar yet
    }
    for (;;) {
      const bars = await this.readBars(this.instance, this.lastRead, PAGE_SIZE);
      if (bars.length === 0) break;
      this.warmEngine();
      const changed = new Map<string, SmcRowChange>();
      for (const bar of bars) this.feed(bar, changed);
      const { upserts, deletes } = this.tableChanges(changed);
      const counts = await writeSmcRows(this.pool, this.instance, {
        upserts,
        deletes,
        firstBarTime: this.firstBar,
        through: this.lastRead,
      });
      this.committedThrough = this.lastRead;
      this.events.onBars(this.instance, bars.length);
      if (counts.events + counts.zones > 0) this.events.onRows(this.instance, counts.events, counts.zones);
      if (bars.length < PAGE_SIZE) break;
    }
  }

  /** A notified bar inside what was fed, unless it repeats a fed bar unchanged, means recompute. */
  private judgeNotedBars(): void {
    for (const { time, bar } of this.noted.splice(0)) {
      if (this.lastRead === undefined || this.firstBar === undefined) continue;
      if (time > this.lastRead || time < this.firstBar) continue;
      if (!bar || !this.hasFed(bar)) this.rebuildRequested = true;
    }
  }

  private hasFed(bar: OhlcBar): boolean {
    if (!this.rebuilt) return false;
    let lo = 0;
    let hi = this.times.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = this.times[mid]!;
      if (t === bar.time) {
        const fed = this.barAt(mid);
        return (
          fed.open === bar.open && fed.high === bar.high && fed.low === bar.low && fed.close === bar.close && fed.volume === bar.volume
        );
      }
      if (t < bar.time) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  private barAt(index: number): OhlcBar {
    const b = this.engine ? this.engine.bars : (this.window as SmcBarSeries);
    return {
      time: this.times[index]!,
      open: b.open[index]!,
      high: b.high[index]!,
      low: b.low[index]!,
      close: b.close[index]!,
      volume: b.volume[index]!,
    };
  }

  /** The window's stored bars, recomputed (batch + the engine's tags); the tables are reconciled to it. */
  private async rebuild(): Promise<void> {
    this.rebuilt = false;
    this.engine = undefined;
    this.window = undefined;
    this.times = [];
    this.lastRead = undefined;
    this.firstBar = await resolveFirstBar(this.pool, this.instance);
    if (this.firstBar === undefined) return;
    this.lastRead = this.firstBar - 1;
    const series = new SmcBarSeries();
    for (;;) {
      const bars = await this.readBars(this.instance, this.lastRead, PAGE_SIZE);
      for (const bar of bars) {
        try {
          series.push(bar);
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          this.events.onRejectedBar(this.instance, err.message);
          this.lastRead = bar.time;
          continue;
        }
        this.times.push(bar.time);
        this.lastRead = bar.time;
      }
      if (bars.length < PAGE_SIZE) break;
    }
    this.window = series;
    const answer = this.tableChanges(smcAnswerRows(series, this.instance.params)).upserts;
    const stored = await readStoredSmcRows(this.pool, this.instance);
    // Nothing stored (a first backfill): every row is new, no comparison needed.
    let upserts: SmcTableRow[] = answer;
    const deletes: SmcRowDelete[] = [];
    if (stored.size > 0) {
      const wanted = new Map<string, SmcTableRow>();
      for (const row of answer) wanted.set(smcRowKey(row.study, row.barTime), row);
      upserts = [];
      for (const [key, row] of wanted) {
        const had = stored.get(key);
        if (!had || !sameSmcRow(had, row)) upserts.push(row);
      }
      for (const [key, row] of stored) if (!wanted.has(key)) deletes.push({ table: row.table, study: row.study, barTime: row.barTime });
    }
    const counts = await writeSmcRows(this.pool, this.instance, {
      upserts,
      deletes,
      firstBarTime: this.firstBar,
      through: this.times.length > 0 ? this.lastRead : undefined,
      fresh: stored.size === 0,
    });
    this.rebuilt = true;
    this.committedThrough = this.lastRead;
    if (this.times.length > 0) this.events.onBars(this.instance, this.times.length);
    if (counts.events + counts.zones > 0) this.events.onRows(this.instance, counts.events, counts.zones);
    if (stored.size > 0 && counts.events + counts.zones > 0)
      this.logger.warn(
        { study: this.instance.key, events: counts.events, zones: counts.zones },
        'stored SMC rows disagreed with a recomputation from the window start (bars changed while down); corrected',
      );
  }

  /** The live engine, fed the window's bars (their rows are already stored), ready for the next bar. */
  private warmEngine(): void {
    if (this.engine) return;
    const engine = new SmcLiveEngine(this.instance.params);
    engine.warm(this.windowRows());
    this.engine = engine;
    this.window = undefined;
  }

  /** The window's bars, one short-lived object at a time. */
  private *windowRows(): Generator<OhlcBar> {
    const w = this.window;
    if (!w) return;
    for (let i = 0; i < w.length; i++) {
      yield { time: this.times[i]!, open: w.open[i]!, high: w.high[i]!, low: w.low[i]!, close: w.close[i]!, volume: w.volume[i]! };
    }
  }

  /** Feeds one bar; its changed rows overwrite earlier ones of the same row in `changed`. */
  private feed(bar: OhlcBar, changed: Map<string, SmcRowChange>): void {
    const engine = this.engine as SmcLiveEngine;
    let changes: SmcRowChange[];
    try {
      changes = engine.update(bar);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // Skipped for good: the cursor moves past it so it is not re-read on every pass.
      this.events.onRejectedBar(this.instance, err.message);
      if (this.lastRead === undefined || bar.time > this.lastRead) this.lastRead = bar.time;
      return;
    }
    this.times.push(bar.time);
    this.lastRead = bar.time;
    for (const c of changes) changed.set(`${c.study}|${c.row}`, c);
  }

  /** Engine rows as table rows: a row with values is upserted, an emptied one deleted. */
  private tableChanges(changed: Map<string, SmcRowChange> | readonly SmcRowChange[]): { upserts: SmcTableRow[]; deletes: SmcRowDelete[] } {
    const timeAt = (i: number): number => this.times[i]!;
    const upserts: SmcTableRow[] = [];
    const deletes: SmcRowDelete[] = [];
    for (const c of changed.values()) {
      const row = smcTableRow(c.study, c.row, c.values, c.confirmed, timeAt);
      if (row) upserts.push(row);
      else deletes.push({ table: smcTableOf(c.study), study: c.study, barTime: timeAt(c.row) });
    }
    return { upserts, deletes };
  }
}
