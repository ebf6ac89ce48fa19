// What the rule engine is fed: closed bars and stored signals, each known at one instant, and their one canonical order.
import type { OhlcBar } from '../bar.ts';
import { ValidationError } from '../errors.ts';
import type { SignalMessage } from '../schemas/signal-message.ts';
import { fixedLengthMs, parseTimeframe } from '../timeframe.ts';

/** A closed bar of one series (contract, timeframe). */
export interface BarEvent {
  readonly kind: 'bar';
  readonly contractId: string;
  readonly timeframe: string;
  readonly bar: OhlcBar;
}

/** A stored signal (a detected_signals row / signal_detected payload), times in epoch ms. */
export interface SignalEvent {
  readonly kind: 'signal';
  readonly analyzerId: string;
  readonly contractId: string;
  readonly timeframe: string;
  /** Open time of the bar the signal is about (detected_signals.timestamp). */
  readonly barTime: number;
  /** Open time of the closed bar that made it knowable (detected_signals.trigger_timestamp). */
  readonly triggerTime: number;
  readonly type: string;
  readonly price: number | null;
  readonly details: Readonly<Record<string, unknown>>;
}

export type EngineEvent = BarEvent | SignalEvent;

/** When a bar of `timeframe` opened (labelled, for day and longer) at `barTime` closes (epoch ms);
 * `contractId` picks the session calendar of bars of day and longer. */
export type CloseTimeOf = (timeframe: string, barTime: number, contractId?: string) => number;

const lengths = new Map<string, number | undefined>();

/** Close time of intraday bars (open time + fixed length). Day and longer bars depend on the session
 * calendar: pass a CloseTimeOf built on SessionCalendar.bucket for those. */
export const fixedCloseTime: CloseTimeOf = (timeframe, barTime) => {
  let length = lengths.get(timeframe);
  if (length === undefined && !lengths.has(timeframe)) {
    length = fixedLengthMs(parseTimeframe(timeframe));
    lengths.set(timeframe, length);
  }
  if (length === undefined) {
    throw new ValidationError(
      'timeframe',
      `${timeframe} bars have no fixed length; give the engine a closeTimeOf built on the session calendar`,
    );
  }
  return barTime + length;
};

/**
 * The instant an event became knowable: a bar's close time; a signal's trigger bar's close time.
 * Events are fed in non-decreasing knownAt; that is what makes live evaluation equal a batch one.
 */
export function knownAt(event: EngineEvent, closeTimeOf: CloseTimeOf): number {
  return event.kind === 'bar'
    ? closeTimeOf(event.timeframe, event.bar.time, event.contractId)
    : closeTimeOf(event.timeframe, event.triggerTime, event.contractId);
}

const timeframeLength = (tf: string): number => {
  const parsed = parseTimeframe(tf);
  return fixedLengthMs(parsed) ?? parsed.unit * 1e12 + parsed.value; // calendar timeframes after every intraday one
};

/**
 * The canonical order: knownAt; at one instant bars before signals (a signal's trigger bar is in its
 * series when the signal is evaluated); signals of longer timeframes first (a confluence sees the
 * higher timeframe's trend of that instant); then contract, timeframe, bar time, analyzer, type.
 */
export function compareEvents(a: EngineEvent, b: EngineEvent, closeTimeOf: CloseTimeOf = fixedCloseTime): number {
  const t = knownAt(a, closeTimeOf) - knownAt(b, closeTimeOf);
  if (t !== 0) return t;
  if (a.kind !== b.kind) return a.kind === 'bar' ? -1 : 1;
  if (a.kind === 'signal' && b.kind === 'signal') {
    const tf = timeframeLength(b.timeframe) - timeframeLength(a.timeframe);
    if (tf !== 0) return tf;
  }
  const c = cmp(a.contractId, b.contractId) || cmp(a.timeframe, b.timeframe);
  if (c !== 0 || a.kind === 'bar' || b.kind === 'bar') return c;
  return a.barTime - b.barTime || cmp(a.analyzerId, b.analyzerId) || cmp(a.type, b.type);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A signal_detected payload as an engine event. */
export function signalEventFromMessage(m: SignalMessage): SignalEvent {
  return {
    kind: 'signal',
    analyzerId: m.analyzer_id,
    contractId: m.contract_id,
    timeframe: m.timeframe,
    barTime: Date.parse(m.timestamp),
    triggerTime: Date.parse(m.trigger_timestamp),
    type: m.signal_type,
    price: m.signal_price,
    details: m.details,
  };
}
