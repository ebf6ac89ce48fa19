// What the rules read for the watched contracts: the bar series (contract, timeframe) and the analyzer
// targets whose signals must be stored before an instant is evaluated, with the close times of their
// bars (intraday: fixed lengths; day and longer: the contract's session calendar).
import {
  calendarCloseTime,
  calendarFor,
  fixedLengthMs,
  nextBucketClose,
  parseTimeframe,
  type AlertRule,
  type CloseTimeOf,
  type SessionCalendar,
  type Settings,
} from '@barstream/core';

export interface ScopeSeries {
  readonly contractId: string;
  readonly timeframe: string;
  /** Nominal bar length (exact for intraday timeframes). */
  readonly lengthMs: number;
  /** The longest a bar of the series can take from its open (label) to its close: past this (and a
   * grace) without a new bar while others move, the series is quiet (evaluation-horizon.ts). Day and
   * longer: a weekend or a holiday fits in it. */
  readonly quietAfterMs: number;
}

export interface ScopeTarget {
  readonly analyzerId: string;
  readonly contractId: string;
  readonly timeframe: string;
  readonly lengthMs: number;
}

export interface ScopeTimeframe {
  readonly timeframe: string;
  /** Bounds of open (label) → close over every bar of the timeframe: equal for intraday ones. */
  readonly minLengthMs: number;
  readonly maxLengthMs: number;
}

export interface EvaluationScope {
  readonly contracts: readonly string[];
  readonly timeframes: readonly ScopeTimeframe[];
  readonly series: readonly ScopeSeries[];
  readonly targets: readonly ScopeTarget[];
  /** Close time of a bar of any series of the scope. */
  readonly closeTimeOf: CloseTimeOf;
  /** Close time of the bar after the one opened (labelled) at `barTime`. */
  nextCloseOf(timeframe: string, barTime: number, contractId: string): number;
}

const DAY_MS = 86_400_000;
/** Nominal lengths of the calendar units (a month at its longest). */
const CALENDAR_UNIT_MS: Record<number, number> = { 4: DAY_MS, 5: 7 * DAY_MS, 6: 31 * DAY_MS };
/** A day-or-longer bar's label (its trade date at 00:00 UTC) lies less than this before its session's
 * open's nominal span ends: sessions open up to a day before their trade date, and close on it. */
const CALENDAR_SLACK_MS = 2 * DAY_MS;

function ruleTimeframes(rule: AlertRule): string[] {
  return rule.rule_type === 'confluence' ? [...rule.timeframes, rule.higher.timeframe] : [...rule.timeframes];
}

function ruleContracts(rule: AlertRule, watchlist: readonly string[]): string[] {
  return rule.contracts === 'watchlist' ? [...watchlist] : rule.contracts.filter((c) => watchlist.includes(c));
}

function calendarsOf(settings: Settings): (contractId: string) => SessionCalendar | undefined {
  const calendars = new Map<string, SessionCalendar>();
  return (contractId) => {
    let calendar = calendars.get(contractId);
    if (calendar === undefined) {
      const contract = settings.contracts.find((c) => c.id === contractId);
      if (contract === undefined) return undefined;
      calendar = calendarFor(settings, contract);
      calendars.set(contractId, calendar);
    }
    return calendar;
  };
}

/** Close times of the bars of every contract of the settings (day and longer: its session calendar). */
export function closeTimesOf(settings: Settings): CloseTimeOf {
  return calendarCloseTime(calendarsOf(settings));
}

export function evaluationScope(rules: readonly AlertRule[], watchlist: readonly string[], settings: Settings): EvaluationScope {
  const calendarOf = calendarsOf(settings);
  const series = new Map<string, ScopeSeries>();
  const timeframes = new Map<string, ScopeTimeframe>();
  for (const rule of rules) {
    for (const timeframe of ruleTimeframes(rule)) {
      const tf = parseTimeframe(timeframe);
      const fixed = fixedLengthMs(tf);
      const lengthMs = fixed ?? (CALENDAR_UNIT_MS[tf.unit] ?? DAY_MS) * tf.value;
      const range =
        fixed === undefined
          ? { timeframe, minLengthMs: 0, maxLengthMs: lengthMs + CALENDAR_SLACK_MS }
          : { timeframe, minLengthMs: fixed, maxLengthMs: fixed };
      timeframes.set(timeframe, range);
      for (const contractId of ruleContracts(rule, watchlist)) {
        // A watched contract without settings (no calendar) cannot close day bars: left out, as unknown.
        if (fixed === undefined && calendarOf(contractId) === undefined) continue;
        series.set(`${contractId}|${timeframe}`, { contractId, timeframe, lengthMs, quietAfterMs: range.maxLengthMs });
      }
    }
  }
  const targets: ScopeTarget[] = [];
  for (const t of settings.analyzer.targets) {
    for (const timeframe of t.timeframes) {
      const s = series.get(`${t.contract_id}|${timeframe}`);
      if (s !== undefined) targets.push({ analyzerId: t.analyzer_id, contractId: t.contract_id, timeframe, lengthMs: s.lengthMs });
    }
  }
  const all = [...series.values()];
  const closeTimeOf = calendarCloseTime(calendarOf);
  return {
    contracts: [...new Set(all.map((s) => s.contractId))].sort(),
    timeframes: [...timeframes.values()],
    series: all,
    targets,
    closeTimeOf,
    nextCloseOf(timeframe, barTime, contractId) {
      const tf = parseTimeframe(timeframe);
      const fixed = fixedLengthMs(tf);
      if (fixed !== undefined) return barTime + 2 * fixed;
      const calendar = calendarOf(contractId);
      return calendar === undefined ? closeTimeOf(timeframe, barTime, contractId) : nextBucketClose(calendar, tf, barTime);
    },
  };
}
