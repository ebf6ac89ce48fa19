// The detectors a labelled range can be scored against, and how each one's rows map to up/down
// trend starts.
import type { TrendDirection } from './trend-direction.ts';

export const DETECTOR_IDS = ['trend', 'ema_cross', 'smc_choch'] as const;
export type DetectorId = (typeof DETECTOR_IDS)[number];

/** A strategy whose detected_signals rows (of one analyzer_id) are trend starts. */
export interface SignalDetector {
  readonly id: DetectorId;
  readonly source: 'detected_signals';
  readonly title: string;
  /** The analyzer_id read when none is given. */
  readonly defaultAnalyzer: string;
  /** detected_signals.signal_type of an up and of a down start. */
  readonly signalTypes: Readonly<Record<TrendDirection, string>>;
}

/** SMC change of character: smc_events rows of kind 'choch'; direction +1 up, -1 down; the bar is
 * bar_time, the swing bar the break refers to (where the new trend starts), not the breaking bar. */
export interface SmcDetector {
  readonly id: DetectorId;
  readonly source: 'smc_events';
  readonly title: string;
  readonly kind: 'choch';
}

export type Detector = SignalDetector | SmcDetector;

export const DETECTORS: Readonly<Record<DetectorId, Detector>> = {
  trend: {
    id: 'trend',
    source: 'detected_signals',
    title: 'Trend finder',
    defaultAnalyzer: 'cus_cds_trend_finder',
    signalTypes: { up: 'uptrend_start', down: 'downtrend_start' },
  },
  ema_cross: {
    id: 'ema_cross',
    source: 'detected_signals',
    title: 'EMA cross',
    defaultAnalyzer: 'ema_cross',
    signalTypes: { up: 'buy', down: 'sell' },
  },
  smc_choch: { id: 'smc_choch', source: 'smc_events', title: 'SMC CHoCH', kind: 'choch' },
};

export function isDetectorId(text: string): text is DetectorId {
  return (DETECTOR_IDS as readonly string[]).includes(text);
}

/** The direction of a detected_signals row of this detector, or null for a type it does not count. */
export function signalDirection(detector: SignalDetector, signalType: string): TrendDirection | null {
  if (signalType === detector.signalTypes.up) return 'up';
  if (signalType === detector.signalTypes.down) return 'down';
  return null;
}

/** The direction of an smc_events row's direction column (+1 / -1), or null. */
export function smcDirection(direction: number | null): TrendDirection | null {
  return direction === 1 ? 'up' : direction === -1 ? 'down' : null;
}
