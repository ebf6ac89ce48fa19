import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { strategyById } from './strategy-registry.ts';

describe('strategy parameters', () => {
  it('a strategy created with bad parameters names the first problem', () => {
    const create = (params: Record<string, number | string | boolean>) => () => strategyById('ema_cross').create(params);
    expect(create({ fast: 'x' })).toThrow(new ValidationError('ema_cross params.fast', 'expected an integer ≥ 2, got "x"'));
    expect(create({ fast: 12, slow: 5 })).toThrow(new ValidationError('ema_cross params.fast', 'expected fast below slow (5), got 12'));
    expect(create({ fats: 5 })).toThrow(ValidationError);
    expect(() => strategyById('cus_cds_trend_finder').create({ fast: 5 })).toThrow(ValidationError);
  });

  it('defaults what is absent', () => {
    expect(strategyById('ema_cross_rsi').create({}).update({ time: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 })).toEqual([]);
  });
});
