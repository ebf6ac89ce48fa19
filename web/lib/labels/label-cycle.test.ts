import { describe, expect, it } from 'vitest';
import { nextLabelType } from './label-cycle.ts';

describe('nextLabelType', () => {
  it('cycles none → up → down → none', () => {
    expect(nextLabelType(null)).toBe('uptrend_start');
    expect(nextLabelType('uptrend_start')).toBe('downtrend_start');
    expect(nextLabelType('downtrend_start')).toBeNull();
  });
});
