// A detector's score over a labelled range: exact-bar and ±k-bar, side by side.
import { type MatchInput, type MatchResult, matchDetections } from './detection-matching.ts';

/** The tolerance shown beside exact-bar when none is chosen: a couple of bars either side of a
 * trader's click, which lands on the bar they see as the start, not always the detector's. */
export const DEFAULT_SCORE_K = 2;
/** Largest tolerance taken: beyond it every label matches something and the figure says nothing. */
export const MAX_SCORE_K = 1000;

export interface ScoreReport {
  /** k = 0: a detection must be on the labelled bar. */
  readonly exact: MatchResult;
  /** Within ±k bars (equal to exact when k = 0). */
  readonly tolerant: MatchResult;
}

export function scoreReport(input: MatchInput, k: number): ScoreReport {
  const exact = matchDetections(input, 0);
  return { exact, tolerant: k === 0 ? exact : matchDetections(input, k) };
}
