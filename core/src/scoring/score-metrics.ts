// Precision, recall and F1 from match counts.
export interface ScoreCounts {
  /** Labels matched by a detection (= detections matched to a label: the matching is one-to-one). */
  readonly tp: number;
  /** Detections matched to no label ("extra"). */
  readonly fp: number;
  /** Labels matched by no detection ("miss"). */
  readonly fn: number;
}

export interface ScoreMetrics extends ScoreCounts {
  /** tp / (tp + fp); null when there are no detections (undefined, not 0 or 1). */
  readonly precision: number | null;
  /** tp / (tp + fn); null when there are no labels. */
  readonly recall: number | null;
  /** Harmonic mean of precision and recall; null when either is null, 0 when both are 0. */
  readonly f1: number | null;
}

export function scoreMetrics(counts: ScoreCounts): ScoreMetrics {
  const { tp, fp, fn } = counts;
  const precision = tp + fp === 0 ? null : tp / (tp + fp);
  const recall = tp + fn === 0 ? null : tp / (tp + fn);
  const f1 = precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
}

export function addCounts(a: ScoreCounts, b: ScoreCounts): ScoreCounts {
  return { tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn };
}
