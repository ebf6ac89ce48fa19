// Feeds the rule engine from the tables, instant by instant, in the canonical order, and stores what it
// raises. One engine at a time, rebuilt (replayed from the evaluation start to the watermark) at start,
// after a rules or watchlist change, after LISTEN was lost, and after a failed step. Data stored behind the
// watermark is evaluated again from its instant (alert keys make re-inserts no-ops): announced by NOTIFY
// while running; found by its xmin (evaluated-xmin.ts) at a rebuild when its NOTIFY was never read.
// Every step is serialized: one runs at a time. After each step, alerts on signals the analyzer withdrew
// are retracted (signal-retraction.ts): serialized with the steps, so an alert a step stores about a
// signal withdrawn meanwhile is found by the pass that follows it. A pass that found signals withdrawn
// has the next step evaluate again from the earliest of them: the engine forgets them (their repeat,
// cooldown and dedupe state, and that they were fed), so a signal found again later alerts as a new finding.
import { canonicalOrder, knownAt, referencesOf, RuleEngine, type Alert, type AlertRule, type Settings } from '@barstream/core';
import type { Logger, Pool } from '@barstream/core/node';
import { readAlertsFrom, readWatermark, storeFirstStart, storeStep, type StoreResult } from './alert-store.ts';
import type { DeliveryQueue } from './delivery-queue.ts';
import { evaluationScope, type EvaluationScope } from './evaluation-scope.ts';
import { readEvaluatedXmin, readSnapshotXmin, SnapshotSamples } from './evaluated-xmin.ts';
import { readEvents, readFirstKnownAt, readHorizon } from './event-reader.ts';
import { FedEvents, signalId } from './fed-events.ts';
import { readActiveRules } from './rule-sync.ts';
import { retractionsPending, retractWithdrawnSignals, type RetractionResult, type WithdrawnSignal } from './signal-retraction.ts';
import { readWatchlist } from './watchlist.ts';

export interface AlertEvaluatorOptions {
  readonly pool: Pool;
  readonly settings: Settings;
  readonly queue: DeliveryQueue;
  readonly logger: Logger;
  /** After a commit that enqueued deliveries. */
  readonly onStored?: (result: StoreResult) => void;
  /** After a retraction pass that retracted alerts or enqueued retractions. */
  readonly onRetracted?: (result: RetractionResult) => void;
}

interface EngineState {
  engine: RuleEngine;
  readonly rules: readonly AlertRule[];
  readonly watchlist: readonly string[];
  readonly scope: EvaluationScope;
  /** Every event known at or before this was fed (epoch ms). */
  watermark: number;
  /** Events known before this are not evaluated (the evaluation start). */
  readonly startMs: number;
  /** Events known at or before this raise no alert (the alerter's first start). */
  readonly alertsFrom: number;
}

export class AlertEvaluator {
  private state: EngineState | undefined;
  private chain: Promise<void> = Promise.resolve();
  private reloadWanted = true;
  /** Evaluate again from this knownAt (data arrived behind the watermark). */
  private behindFrom: number | undefined;
  private queued = false;
  private lastError: string | undefined;
  private readonly fed = new FedEvents();
  private readonly samples = new SnapshotSamples();
  /** LISTEN is up: notifications arrive, so snapshot positions may be stored once old enough. */
  private listening = true;
  /** The step under way reads up to here: a notification at or before it may concern an event that step
   * read before the change committed, so it counts as behind the watermark. */
  private readingThrough: number | undefined;

  constructor(private readonly options: AlertEvaluatorOptions) {}

  get watermark(): number | undefined {
    return this.state?.watermark;
  }

  /** True when the engine took this event (eventId) recently. */
  hasFed(id: string): boolean {
    return this.fed.has(id);
  }

  /** Names of the rules the current engine evaluates. */
  get ruleNames(): readonly string[] {
    return this.state?.rules.map((r) => r.name) ?? [];
  }

  get scope(): EvaluationScope | undefined {
    return this.state?.scope;
  }

  get error(): string | undefined {
    return this.lastError;
  }

  /** LISTEN lost: what is stored meanwhile is announced to nobody; the rebuild after it reads it back. */
  listenerLost(): void {
    this.listening = false;
    this.samples.clear();
  }

  /**
   * LISTEN re-established: a rebuild finds (by xmin) what was stored behind the watermark meanwhile.
   * `rebuild` false: a standby that does not evaluate now (its lease's acquisition rebuilds later).
   */
  listenerBack(rebuild = true): void {
    this.listening = true;
    if (rebuild) this.requestReload();
  }

  /** Rules or watchlist changed: a new engine at the next step. */
  requestReload(): void {
    this.reloadWanted = true;
    void this.schedule();
  }

  /**
   * Something known at `knownAt` was stored (`id`: its eventId, when one event): evaluated at the next
   * step, or again from its instant when it is behind the watermark and was not among the events fed
   * (a backfill, a late signal; `id` undefined: a bulk write, always evaluated again).
   */
  noteData(knownAt: number, id?: string): void {
    const w = Math.max(this.state?.watermark ?? -Infinity, this.readingThrough ?? -Infinity);
    if (w > -Infinity && knownAt <= w && (id === undefined || !this.fed.has(id))) {
      this.behindFrom = Math.min(this.behindFrom ?? Infinity, knownAt);
    }
    void this.schedule();
  }

  /** Runs a step now or after the current one; concurrent requests fold into one. */
  schedule(): Promise<void> {
    if (this.queued) return this.chain;
    this.queued = true;
    this.chain = this.chain.then(async () => {
      this.queued = false;
      try {
        await this.step();
        this.lastError = undefined;
      } catch (err) {
        this.lastError = (err as Error).message;
        this.reloadWanted = true; // the engine may have taken events that were not stored
        this.options.logger.error({ err: this.lastError }, 'alert evaluation step failed; the next one rebuilds');
        return;
      }
      await this.retract();
    });
    return this.chain;
  }

  /** Retracts alerts on withdrawn signals; a failure is retried by the next step's pass. */
  private async retract(): Promise<void> {
    const { pool, queue, logger } = this.options;
    const state = this.state;
    if (state === undefined) return;
    try {
      if (!(await retractionsPending(pool))) return;
      const result = await retractWithdrawnSignals(pool, queue, async (from) => {
        const { alerts } = await this.evaluateAgain(state, this.earliestKnownAt(state, from));
        return new Set(alerts.map((a) => a.key));
      });
      if (result.alertsRetracted > 0) {
        const { judged, alertsRetracted, confluencesRetracted, enqueued } = result;
        logger.info({ judged, alertsRetracted, confluencesRetracted, enqueued }, 'alerts retracted: their signals were withdrawn');
      }
      if (result.alertsRetracted > 0 || result.enqueued > 0) this.options.onRetracted?.(result);
      if (result.withdrawn.length > 0) {
        // Stored again later (the bar corrected back), the same signal is new data, not an event already fed.
        for (const s of result.withdrawn) this.fed.forget(signalId(s));
        this.behindFrom = Math.min(this.behindFrom ?? Infinity, this.earliestKnownAt(state, result.withdrawn));
        void this.schedule();
      }
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'retraction pass failed; the next step tries again');
    }
  }

  /** The earliest instant at which one of these signals was known (a contract without settings: its trigger bar's open). */
  private earliestKnownAt(state: EngineState, signals: readonly WithdrawnSignal[]): number {
    let earliest = Infinity;
    for (const s of signals) {
      let at = s.triggerTime;
      try {
        at = state.scope.closeTimeOf(s.timeframe, s.triggerTime, s.contractId);
      } catch {
        // not a series of the settings: its trigger bar's open is early enough
      }
      earliest = Math.min(earliest, at);
    }
    return earliest;
  }

  /** Resolves when every step scheduled so far has run. */
  idle(): Promise<void> {
    return this.chain;
  }

  private async step(): Promise<void> {
    if (this.reloadWanted || this.state === undefined) {
      this.reloadWanted = false;
      this.behindFrom = undefined;
      this.state = await this.rebuild();
    }
    const behind = this.behindFrom;
    if (behind !== undefined && this.state !== undefined) {
      this.behindFrom = undefined;
      // Stored before the evaluation start (the first start's backfill, landing after it found nothing
      // stored): a rebuild starts from the earliest stored event, so that history warms the indicators.
      if (behind < this.state.startMs && this.options.settings.alerter.evaluation_start === undefined) this.state = await this.rebuild();
      else await this.evaluateAgainFrom(this.state, behind);
    }
    const state = this.state;
    if (state === undefined) return;
    const [horizon, snapshotXmin] = await Promise.all([readHorizon(this.options.pool, state.scope), readSnapshotXmin(this.options.pool)]);
    if (this.listening) this.samples.add(snapshotXmin);
    if (horizon === undefined) return;
    const through = horizon - 1;
    if (through <= state.watermark) return;
    this.readingThrough = through;
    try {
      const { events: read } = await readEvents(this.options.pool, state.scope, state.watermark, through);
      const events = canonicalOrder(read, { closeTimeOf: state.scope.closeTimeOf });
      const alerts: Alert[] = [];
      for (const event of events) alerts.push(...state.engine.process(event).filter((a) => a.knownAt > state.alertsFrom));
      this.fed.add(events);
      const evaluatedXmin = this.samples.takeStorable();
      const result = await storeStep(this.options.pool, this.options.queue, alerts, through, evaluatedXmin).catch((err: unknown) => {
        this.samples.forgetStored();
        throw err;
      });
      state.watermark = through;
      if (result.alerts > 0) this.options.onStored?.(result);
    } finally {
      this.readingThrough = undefined;
    }
  }

  /** A new engine over the active rules and watchlist, fed (silently) up to the stored watermark. */
  private async rebuild(): Promise<EngineState | undefined> {
    const { pool, settings, logger } = this.options;
    const [active, watchlist] = await Promise.all([readActiveRules(pool, referencesOf(settings), logger), readWatchlist(pool)]);
    const rules = active.map((a) => a.rule);
    const scope = evaluationScope(rules, watchlist, settings);
    const configuredStart = settings.alerter.evaluation_start === undefined ? undefined : Date.parse(settings.alerter.evaluation_start);
    const first = configuredStart ?? (await readFirstKnownAt(pool, scope));
    if ((await readWatermark(pool)) === undefined) {
      // First start: what is stored, or backfilled later, up to now (or the stored horizon, if later)
      // only warms the engine up; alerts start from here. No flood of alerts about old history.
      const horizon = await readHorizon(pool, scope);
      await storeFirstStart(pool, Math.max(Date.now(), (horizon ?? 0) - 1));
    }
    const watermark = (await readWatermark(pool)) ?? 0;
    const alertsFrom = (await readAlertsFrom(pool)) ?? -Infinity;
    const startMs = Math.min(first ?? watermark + 1, watermark + 1);
    // Taken before the events are read: everything written by older transactions is in what is read.
    const [evaluatedXmin, snapshotXmin] = await Promise.all([readEvaluatedXmin(pool), readSnapshotXmin(pool)]);
    const engine = new RuleEngine(rules, { watchlist, closeTimeOf: scope.closeTimeOf });
    const read = await readEvents(pool, scope, startMs - 1, watermark, evaluatedXmin);
    const past = canonicalOrder(read.events, { closeTimeOf: scope.closeTimeOf });
    // Written behind the watermark since the stored position (while down, or while LISTEN was lost):
    // never evaluated, so evaluated now, from its instant; what is before it only rebuilds the state.
    const from = read.writtenSinceFrom === undefined ? Infinity : Math.max(read.writtenSinceFrom, startMs);
    const alerts: Alert[] = [];
    let evaluated = 0;
    for (const event of past) {
      if (knownAt(event, scope.closeTimeOf) < from) engine.replay(event);
      else {
        evaluated++;
        alerts.push(...engine.process(event).filter((a) => a.knownAt > alertsFrom));
      }
    }
    this.fed.clear();
    this.fed.add(past);
    const result = await storeStep(pool, this.options.queue, alerts, undefined, snapshotXmin);
    this.samples.clear();
    if (this.listening) this.samples.trust(snapshotXmin);
    logger.info(
      {
        rules: rules.length,
        watchlist,
        series: scope.series.length,
        replayed: past.length - evaluated,
        watermark: new Date(watermark).toISOString(),
        ...(evaluated > 0 ? { evaluatedAgainFrom: new Date(from).toISOString(), evaluated, newAlerts: result.alerts } : {}),
      },
      'rule engine built',
    );
    if (result.alerts > 0) this.options.onStored?.(result);
    return { engine, rules, watchlist, scope, watermark, startMs, alertsFrom };
  }

  /** Data arrived behind the watermark: replay up to it, evaluate from it to the watermark (new keys only stored). */
  private async evaluateAgainFrom(state: EngineState, fromMs: number): Promise<void> {
    const { pool, logger } = this.options;
    const { engine, alerts, again } = await this.evaluateAgain(state, fromMs);
    this.fed.add(again);
    const result = await storeStep(pool, this.options.queue, alerts, undefined);
    state.engine = engine;
    logger.info(
      { from: new Date(Math.max(fromMs, state.startMs)).toISOString(), events: again.length, newAlerts: result.alerts },
      'evaluated again from late data',
    );
    if (result.alerts > 0) this.options.onStored?.(result);
  }

  /** A new engine: the stored events before `fromMs` replayed, those from it to the watermark evaluated. */
  private async evaluateAgain(
    state: EngineState,
    fromMs: number,
  ): Promise<{ engine: RuleEngine; alerts: Alert[]; again: ReturnType<typeof canonicalOrder> }> {
    const { pool } = this.options;
    const closeTimeOf = state.scope.closeTimeOf;
    const engine = new RuleEngine(state.rules, { watchlist: state.watchlist, closeTimeOf });
    const from = Math.max(fromMs, state.startMs);
    const past = canonicalOrder((await readEvents(pool, state.scope, state.startMs - 1, from - 1)).events, { closeTimeOf });
    for (const event of past) engine.replay(event);
    const again = canonicalOrder((await readEvents(pool, state.scope, from - 1, state.watermark)).events, { closeTimeOf });
    const alerts: Alert[] = [];
    for (const event of again) alerts.push(...engine.process(event).filter((a) => a.knownAt > state.alertsFrom));
    return { engine, alerts, again };
  }
}
