// RuleEngine: active rules × closed bars and stored signals, fed in event-time order → alerts; a deterministic function of (rules, events so far).
import type { OhlcBar } from '../bar.ts';
import { ValidationError } from '../errors.ts';
import { trendsHref } from '../trends-href.ts';
import { AlertGate } from './alert-gate.ts';
import { alertKey, type Alert } from './alert.ts';
import { confidenceScore } from './confidence.ts';
import { fixedCloseTime, knownAt, type CloseTimeOf, type EngineEvent, type SignalEvent } from './engine-events.ts';
import type { Candidate, RuleEvaluator } from './rule-evaluator.ts';
import { compileRule } from './rule-evaluators.ts';
import type { AlertRule } from './rule-schema.ts';
import { SeriesState } from './series-state.ts';
import { tradeLevels } from './trade-levels.ts';

export interface RuleEngineOptions {
  /** Contracts the rules with `contracts: watchlist` apply to. Fixed for the engine's life (a change is a rebuild). */
  readonly watchlist?: readonly string[];
  /** Close time of a bar (default: intraday fixed lengths; day and longer need the session calendar). */
  readonly closeTimeOf?: CloseTimeOf;
}

interface CompiledRule {
  readonly evaluator: RuleEvaluator;
  readonly gate: AlertGate;
}

interface Series {
  readonly state: SeriesState;
  /** Rules run on this series' closed bars, in priority order. */
  readonly onBar: readonly CompiledRule[];
  /** Rules shown this series' signals, in priority order. */
  readonly onSignal: readonly CompiledRule[];
}

/**
 * Feed it closed bars and signals in non-decreasing knownAt (engine-events.ts; the batch uses the
 * canonical order compareEvents). Each call returns the alerts that event produced, highest priority
 * first. State (indicators, crosses, cooldowns, dedupe) depends only on the rules and the events fed,
 * so an engine rebuilt by feeding the same events again (alerts discarded) continues exactly where the
 * old one stopped. Rules and watchlist are fixed: a change means a new engine fed from the same start.
 */
export class RuleEngine {
  private readonly rules: readonly CompiledRule[];
  private readonly watchlist: ReadonlySet<string>;
  private readonly closeTimeOf: CloseTimeOf;
  private readonly series = new Map<string, Series>();
  private lastKnownAt = -Infinity;
  /** False inside replay(): gates run, records are not built. */
  private emitting = true;

  constructor(rules: readonly AlertRule[], options: RuleEngineOptions = {}) {
    this.rules = rules
      .filter((r) => r.is_active)
      .sort((a, b) => b.priority - a.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((rule) => ({ evaluator: compileRule(rule), gate: new AlertGate(rule) }));
    this.watchlist = new Set(options.watchlist ?? []);
    this.closeTimeOf = options.closeTimeOf ?? fixedCloseTime;
  }

  /** The knownAt of the last event taken (-Infinity before the first). */
  get position(): number {
    return this.lastKnownAt;
  }

  process(event: EngineEvent): Alert[] {
    return event.kind === 'bar' ? this.onBar(event.contractId, event.timeframe, event.bar) : this.onSignal(event);
  }

  /**
   * Takes an event for its effect on the state only (a restart's rebuild): every gate is applied as
   * process() would, but no alert record is built.
   */
  replay(event: EngineEvent): void {
    this.emitting = false;
    try {
      this.process(event);
    } finally {
      this.emitting = true;
    }
  }

  /** Takes the next closed bar of a series; returns the alerts it produced. */
  onBar(contractId: string, timeframe: string, bar: OhlcBar): Alert[] {
    const at = this.advance(knownAt({ kind: 'bar', contractId, timeframe, bar }, this.closeTimeOf), `bar ${contractId} ${timeframe}`);
    const s = this.seriesOf(contractId, timeframe);
    s.state.update(bar);
    this.lastKnownAt = at;
    let out: Alert[] | undefined;
    for (const compiled of s.onBar) {
      const candidate = compiled.evaluator.onBar!(s.state);
      if (candidate === undefined) continue;
      const alert = this.admit(compiled, s.state, candidate, at);
      if (alert !== undefined) (out ??= []).push(alert);
    }
    return out ?? [];
  }

  /** Takes the next stored signal; returns the alerts it produced. */
  onSignal(signal: SignalEvent): Alert[] {
    const at = this.advance(knownAt(signal, this.closeTimeOf), `signal ${signal.contractId} ${signal.timeframe} ${signal.type}`);
    this.lastKnownAt = at;
    const s = this.seriesOf(signal.contractId, signal.timeframe);
    const out: Alert[] = [];
    for (const compiled of s.onSignal) {
      const candidate = compiled.evaluator.onSignal!(signal, s.state, (c, tf) => this.series.get(`${c}|${tf}`)?.state);
      if (candidate === undefined) continue;
      const alert = this.admit(compiled, s.state, candidate, at);
      if (alert !== undefined) out.push(alert);
    }
    return out;
  }

  private advance(at: number, what: string): number {
    if (at < this.lastKnownAt) {
      throw new ValidationError(
        'event',
        `${what} known at ${new Date(at).toISOString()} comes after an event known at ${new Date(this.lastKnownAt).toISOString()}; feed events in time order`,
      );
    }
    return at;
  }

  private admit(compiled: CompiledRule, series: SeriesState, c: Candidate, at: number): Alert | undefined {
    const rule = compiled.evaluator.rule;
    if (compiled.gate.check(series, c.barTime, c.setup, at) !== undefined || !this.emitting) return undefined;
    const levels = tradeLevels(rule.risk, c.direction, c.entry, series);
    return {
      key: alertKey(rule.name, series.contractId, series.timeframe, c.barTime, c.setup),
      rule: rule.name,
      ruleType: rule.rule_type,
      contractId: series.contractId,
      timeframe: series.timeframe,
      setup: c.setup,
      barTime: c.barTime,
      knownAt: at,
      direction: c.direction,
      entry: c.entry,
      stopLoss: levels.stopLoss,
      target: levels.target,
      confidence: confidenceScore(c.strength, series),
      severity: rule.severity,
      priority: rule.priority,
      details: c.details,
      trendsLink: trendsHref(series.contractId, series.timeframe, c.barTime),
    };
  }

  private seriesOf(contractId: string, timeframe: string): Series {
    const id = `${contractId}|${timeframe}`;
    let s = this.series.get(id);
    if (s !== undefined) return s;
    const applies = this.rules.filter(({ evaluator: { rule } }) =>
      rule.contracts === 'watchlist' ? this.watchlist.has(contractId) : rule.contracts.includes(contractId),
    );
    const onBar = applies.filter((r) => r.evaluator.onBar !== undefined && r.evaluator.rule.timeframes.includes(timeframe));
    const onSignal = applies.filter(
      (r) =>
        r.evaluator.onSignal !== undefined &&
        (r.evaluator.rule.timeframes.includes(timeframe) || r.evaluator.extraSignalTimeframes.includes(timeframe)),
    );
    const own = applies.filter((r) => r.evaluator.rule.timeframes.includes(timeframe)).map((r) => r.evaluator);
    const state = new SeriesState(
      contractId,
      timeframe,
      own.flatMap((e) => e.indicators),
      own.flatMap((e) => e.volumePeriods),
    );
    s = { state, onBar, onSignal };
    this.series.set(id, s);
    return s;
  }
}
