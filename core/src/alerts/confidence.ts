// The confidence score of an alert: how strong the setup is, confirmed by volume.
//
//   confidence = round4(0.6 × strength + 0.4 × volumeScore), in [0, 1]
//
// strength ∈ [0, 1] comes from the rule type (each evaluator documents its own):
//   signal       the signal's details.confidence when it is a number in [0, 1], else 0.5
//   price_cross  min(1, |close − level| / ATR(14))        how decisively the bar closed through the level
//   indicator    0.5                                      (a condition holds or not; no scale across indicators)
//   volume_spike min(1, ratio / (2 × multiple))           0.5 at the threshold, 1 at twice it
//   confluence   0.5 + 0.25 × freshness(trigger) + 0.25 × freshness(higher), freshness = 1 − barsSince / (within_bars + 1)
// volumeScore = min(1, volume / (1.5 × SMA(volume, 20) of the 20 bars before)) of the bar that made the
// setup knowable; 0.5 while that average warms up. Any missing part (ATR warming up) counts 0.5.
import type { SeriesState } from './series-state.ts';
import { REFERENCE_VOLUME_PERIOD } from './series-state.ts';

/** Volume 1.5 × its recent average counts as full confirmation. */
const FULL_VOLUME_RATIO = 1.5;

export function confidenceScore(strength: number, series: SeriesState): number {
  const average = series.volumeAverage(REFERENCE_VOLUME_PERIOD);
  const volume = series.latest?.volume;
  const volumeScore =
    average === undefined || volume === undefined || average <= 0 ? 0.5 : Math.min(1, volume / (FULL_VOLUME_RATIO * average));
  const score = 0.6 * clamp01(strength) + 0.4 * volumeScore;
  return Math.round(score * 10_000) / 10_000;
}

export function clamp01(x: number): number {
  return Number.isNaN(x) ? 0.5 : Math.min(1, Math.max(0, x));
}
