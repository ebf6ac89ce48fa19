// The contract between the engine and one compiled rule: what it reads, and the candidate it may return per event.
import type { Direction, TriggerDetails } from './alert.ts';
import type { SignalEvent } from './engine-events.ts';
import type { AlertRule } from './rule-schema.ts';
import type { SeriesState } from './series-state.ts';

/** What a rule saw; the engine turns it into an Alert if the gates let it through. */
export interface Candidate {
  readonly setup: string;
  /** Open time of the bar the alert is about. */
  readonly barTime: number;
  readonly direction: Direction;
  /** Rule-type strength in [0, 1] for the confidence score (confidence.ts). */
  readonly strength: number;
  readonly entry: number | null;
  readonly details: TriggerDetails;
}

/** Looks up another series of the same engine (confluence reads the higher timeframe's bars). */
export type SeriesLookup = (contractId: string, timeframe: string) => SeriesState | undefined;

export interface RuleEvaluator {
  readonly rule: AlertRule;
  /** Registry indicators the rule reads on its own timeframes' series. */
  readonly indicators: readonly string[];
  /** Volume SMA periods it reads on those series. */
  readonly volumePeriods: readonly number[];
  /** Timeframes whose signals it must see besides rule.timeframes (confluence: the higher one). */
  readonly extraSignalTimeframes: readonly string[];
  /** Called after the series took a closed bar of one of rule.timeframes. */
  onBar?(series: SeriesState): Candidate | undefined;
  /** Called for a signal of one of rule.timeframes or extraSignalTimeframes; `series` is the signal's. */
  onSignal?(signal: SignalEvent, series: SeriesState, lookup: SeriesLookup): Candidate | undefined;
}

/** A signal type's trade side: a `_`-separated word starting with up/buy/long/bull → long, down/sell/short/bear → short. */
export function signalDirection(type: string): Direction {
  const words = type.toLowerCase().split('_');
  if (words.some((w) => /^(down|sell|short|bear)/.test(w))) return 'short';
  if (words.some((w) => /^(up|buy|long|bull)/.test(w))) return 'long';
  return 'none';
}

/** The entry of a signal alert: the close of its trigger bar when that is the series' latest bar, else the signal's price. */
export function signalEntry(signal: SignalEvent, series: SeriesState): number | null {
  const latest = series.latest;
  return latest !== undefined && latest.time === signal.triggerTime ? latest.close : signal.price;
}

/** A signal's fields and the primitive entries of its details, as trigger values. */
export function signalDetails(signal: SignalEvent): Record<string, number | string | boolean | null> {
  const out: Record<string, number | string | boolean | null> = {
    analyzer_id: signal.analyzerId,
    signal_type: signal.type,
    signal_price: signal.price,
    signal_time: new Date(signal.barTime).toISOString(),
    trigger_time: new Date(signal.triggerTime).toISOString(),
  };
  for (const [k, v] of Object.entries(signal.details)) {
    if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[`signal.${k}`] = v;
  }
  return out;
}
