// A detector's score over a labelled range: exact-bar and ±k-bar, side by side.
import { type MatchInput, type MatchResult, matchDetections } from './detection-matching.ts';

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
