// Pixel geometry of SMC shapes, pure: a time span clipped to the pane, a price band clipped to it, and
// whether a label fits. Shapes thinner than a pixel across are skipped: at a far zoom they would be
// noise, and thousands of them would cost a frame.

/** Narrowest span drawn, in CSS pixels. */
export const MIN_SPAN_PX = 1;
/** Labels: the chart's small font, about this wide per character (labels are short ASCII words). */
export const LABEL_CHAR_PX = 6;
export const LABEL_PAD_PX = 3;
export const LABEL_HEIGHT_PX = 11;

export interface Span {
  readonly x1: number;
  readonly x2: number;
}

/** [x1, x2] (x2 undefined: to the right edge) clipped to [0, width]; null when off the pane or thinner than MIN_SPAN_PX. */
export function clipSpan(x1: number, x2: number | undefined, width: number): Span | null {
  const right = Math.min(x2 ?? width, width);
  const left = Math.max(x1, 0);
  if (!(right - left >= MIN_SPAN_PX)) return null;
  return { x1: left, x2: right };
}

export interface Band {
  readonly y1: number;
  readonly y2: number;
}

/** The rows between two price coordinates, clipped to [0, height]; at least one pixel tall (a gap of one
 * tick stays visible); null when entirely above or below the pane. */
export function clipBand(yA: number, yB: number, height: number): Band | null {
  const top = Math.min(yA, yB);
  const bottom = Math.max(yA, yB);
  if (bottom < 0 || top > height) return null;
  const y1 = Math.max(top, 0);
  const y2 = Math.min(Math.max(bottom, y1 + 1), height);
  return { y1, y2 };
}

/** Width of `text` as the chart draws labels. */
export const labelWidth = (text: string): number => text.length * LABEL_CHAR_PX + 2 * LABEL_PAD_PX;

/** `text` if it fits in `room` pixels across (and `tall` down, when given), else null: no label is better than one spilling over its neighbours. */
export function fittedLabel(text: string, room: number, tall = Number.POSITIVE_INFINITY): string | null {
  return labelWidth(text) <= room && LABEL_HEIGHT_PX <= tall ? text : null;
}
