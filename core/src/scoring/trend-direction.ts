// A trend start's direction, shared by hand labels (trend_labels.label_type) and detectors.
export type TrendDirection = 'up' | 'down';

export const TREND_DIRECTIONS: readonly TrendDirection[] = ['up', 'down'];

/** trend_labels.label_type values, as stored and as in the labels CSV. */
export const TREND_LABEL_TYPES = ['uptrend_start', 'downtrend_start'] as const;
export type TrendLabelType = (typeof TREND_LABEL_TYPES)[number];

export function directionOfLabelType(type: TrendLabelType): TrendDirection {
  return type === 'uptrend_start' ? 'up' : 'down';
}

export function labelTypeOfDirection(direction: TrendDirection): TrendLabelType {
  return direction === 'up' ? 'uptrend_start' : 'downtrend_start';
}

/** One dated, directed point: a label or a detection at a bar's start time (epoch ms). */
export interface TrendPoint {
  readonly time: number;
  readonly direction: TrendDirection;
}

/** Longest author name stored with a label: a name, not a document. */
export const MAX_AUTHOR_LENGTH = 100;
