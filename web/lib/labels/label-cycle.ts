// What a click on a bar does in labelling mode: none → uptrend start → downtrend start → none.
import type { TrendLabelType } from '@barstream/core';

export function nextLabelType(current: TrendLabelType | null): TrendLabelType | null {
  if (current === null) return 'uptrend_start';
  if (current === 'uptrend_start') return 'downtrend_start';
  return null;
}
