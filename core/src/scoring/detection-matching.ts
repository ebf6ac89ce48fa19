// Matches a detector's trend starts to hand labels within a tolerance of k bars and scores them.
import { barIndexOf } from './bar-positions.ts';
import { addCounts, type ScoreCounts, type ScoreMetrics, scoreMetrics } from './score-metrics.ts';
import type { TrendDirection, TrendPoint } from './trend-direction.ts';

/** hit: a label matched by a detection (or that detection); miss: a label no detection matched;
 * extra: a detection that matched no label. */
export type EventOutcome = 'hit' | 'miss' | 'extra';

export interface ScoredEvent {
  readonly source: 'label' | 'detection';
  readonly time: number;
  readonly direction: TrendDirection;
  readonly outcome: EventOutcome;
  /** The time of the label or detection it was matched with, or null. */
  readonly matchedTime: number | null;
  /** Bars between the two (0 = the same bar), or null. */
  readonly distance: number | null;
}

export interface MatchInput {
  readonly labels: readonly TrendPoint[];
  readonly detections: readonly TrendPoint[];
  /** Start times (epoch ms) of the series' bars over the scored range, ascending. */
  readonly barTimes: readonly number[];
}

export interface MatchResult {
  /** The tolerance in bars: 0 is exact-bar. */
  readonly k: number;
  readonly up: ScoreMetrics;
  readonly down: ScoreMetrics;
  readonly overall: ScoreMetrics;
  /** Every label and detection with its outcome, by time (labels before detections on one bar). */
  readonly events: ScoredEvent[];
}

interface Placed {
  readonly time: number;
  readonly bar: number;
  matched: Placed | null;
}

/** Each point on the bar holding its time, once per bar; points before the first bar are dropped. */
function place(points: readonly TrendPoint[], barTimes: readonly number[], direction: TrendDirection): Placed[] {
  const byBar = new Map<number, Placed>();
  for (const p of points) {
    if (p.direction !== direction) continue;
    const bar = barIndexOf(barTimes, p.time);
    if (bar < 0 || byBar.has(bar)) continue;
    byBar.set(bar, { time: barTimes[bar] as number, bar, matched: null });
  }
  return [...byBar.values()].sort((a, b) => a.bar - b.bar);
}

/** First index in `sorted` (ascending bars) whose bar is >= `bar`. */
function lowerBound(sorted: readonly Placed[], bar: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as Placed).bar < bar) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function matchDirection(labels: Placed[], detections: Placed[], k: number): ScoreCounts {
  const pairs: { label: Placed; detection: Placed; distance: number }[] = [];
  for (const label of labels) {
    for (let i = lowerBound(detections, label.bar - k); i < detections.length; i++) {
      const detection = detections[i] as Placed;
      if (detection.bar > label.bar + k) break;
      pairs.push({ label, detection, distance: Math.abs(detection.bar - label.bar) });
    }
  }
  pairs.sort((a, b) => a.distance - b.distance || a.label.bar - b.label.bar || a.detection.bar - b.detection.bar);
  let tp = 0;
  for (const { label, detection } of pairs) {
    if (label.matched || detection.matched) continue;
    label.matched = detection;
    detection.matched = label;
    tp++;
  }
  return { tp, fp: detections.length - tp, fn: labels.length - tp };
}

/**
 * Scores detections against labels with a tolerance of `k` bars. The rule:
 * 1. Every label and detection is placed on the bar holding its time (`barTimes`); one per bar and
 *    direction (duplicates count once); a point before the first bar is outside the range and dropped.
 * 2. A label and a detection can match when they have the same direction and lie at most `k` bars
 *    apart (k = 0: the same bar).
 * 3. The matching is one-to-one and nearest first: all candidate pairs are taken in order of their
 *    distance in bars, then the earlier label, then the earlier detection, and a pair is kept when
 *    neither its label nor its detection is matched yet.
 * 4. Matched labels are true positives (hit), unmatched labels false negatives (miss), unmatched
 *    detections false positives (extra); per direction, and overall as the sum of both directions.
 */
export function matchDetections(input: MatchInput, k: number): MatchResult {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number of bars >= 0, got ${k}`);
  const events: ScoredEvent[] = [];
  const counts = {} as Record<TrendDirection, ScoreCounts>;
  for (const direction of ['up', 'down'] as const) {
    const labels = place(input.labels, input.barTimes, direction);
    const detections = place(input.detections, input.barTimes, direction);
    counts[direction] = matchDirection(labels, detections, k);
    for (const [source, points] of [
      ['label', labels],
      ['detection', detections],
    ] as const) {
      for (const p of points) {
        events.push({
          source,
          time: p.time,
          direction,
          outcome: p.matched ? 'hit' : source === 'label' ? 'miss' : 'extra',
          matchedTime: p.matched ? p.matched.time : null,
          distance: p.matched ? Math.abs(p.matched.bar - p.bar) : null,
        });
      }
    }
  }
  events.sort((a, b) => a.time - b.time || (a.source === b.source ? 0 : a.source === 'label' ? -1 : 1));
  return {
    k,
    up: scoreMetrics(counts.up),
    down: scoreMetrics(counts.down),
    overall: scoreMetrics(addCounts(counts.up, counts.down)),
    events,
  };
}
