// Registry tests: name parsing, error codes and computeIndicatorSeries for registry.ts.
import { describe, expect, it } from 'vitest';
import { IndicatorError } from './indicator-error.ts';
import { DEFAULT_INDICATOR_NAMES, computeIndicatorSeries, createIndicator, getIndicatorDefinition } from './registry.ts';
import { barsFromCloses } from './test-bars.ts';

function errorOf(fn: () => unknown): IndicatorError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(IndicatorError);
    return err as IndicatorError;
  }
  throw new Error('expected an IndicatorError');
}

describe('indicator registry', () => {
  it.each([
    ['sma_20', 20],
    ['ema_20', 20],
    ['ema_50', 50],
    ['rsi_14', 15],
    ['macd_12_26_9', 34],
    ['atr_14', 15],
    ['bb_20_2', 20],
  ])('%s resolves with warm-up %i', (name, warmup) => {
    const def = getIndicatorDefinition(name);
    expect(def.name).toBe(name);
    expect(def.warmupBars).toBe(warmup);
    const ind = def.create();
    expect(ind.name).toBe(name);
    expect(ind.warmupBars).toBe(warmup);
  });

  it('covers every default name', () => {
    for (const name of DEFAULT_INDICATOR_NAMES) expect(() => getIndicatorDefinition(name)).not.toThrow();
  });

  it('accepts a fractional Bollinger multiplier', () => {
    expect(getIndicatorDefinition('bb_20_2.5').params).toEqual([20, 2.5]);
  });

  it.each(['foo_3', 'SMA_20', 'vwap', '', '__proto___3', 'constructor_2', 'toString_1'])(
    'unknown kind %j -> UNKNOWN_INDICATOR naming it',
    (name) => {
      const err = errorOf(() => getIndicatorDefinition(name));
      expect(err.code).toBe('UNKNOWN_INDICATOR');
      expect(err.message).toContain(`"${name}"`);
    },
  );

  it.each([
    'sma',
    'sma_',
    'sma_0',
    'sma_1',
    'sma_-5',
    'sma_020',
    'sma_20.0',
    'sma_2.5',
    'sma_1e3',
    'sma_+20',
    'sma_ 20',
    'sma_20_3',
    'ema_x',
    'ema_1',
    'rsi_1',
    'atr_0',
    'sma_100001',
    'sma_9007199254740993',
    'macd_12_26',
    'macd_26_12_9',
    'macd_12_12_9',
    'macd_12_26_0',
    'bb_20',
    'bb_20_0',
    'bb_20_-2',
    'bb_20_2.50',
    'bb_1_2',
    'bb_20_Infinity',
    'bb_20_NaN',
  ])('bad parameters %j -> INVALID_PARAMS naming it', (name) => {
    const err = errorOf(() => getIndicatorDefinition(name));
    expect(err.code).toBe('INVALID_PARAMS');
    expect(err.message).toContain(`"${name}"`);
  });

  it('createIndicator types the value by name', () => {
    const macd = createIndicator('macd_3_5_2');
    const bars = barsFromCloses([1, 2, 3, 4, 5, 6, 7]);
    let last: { macd: number; signal: number; histogram: number } | undefined;
    for (const bar of bars) last = macd.update(bar);
    expect(last).toBeDefined();
    expect(last!.histogram).toBe(last!.macd - last!.signal);
  });

  describe('computeIndicatorSeries', () => {
    it('returns one point per bar with the value omitted during warm-up', () => {
      const bars = barsFromCloses([1, 2, 3, 4, 5]);
      const points = computeIndicatorSeries('sma_3', bars);
      expect(points).toEqual([
        { time: bars[0]!.time },
        { time: bars[1]!.time },
        { time: bars[2]!.time, value: 2 },
        { time: bars[3]!.time, value: 3 },
        { time: bars[4]!.time, value: 4 },
      ]);
      expect('value' in points[0]!).toBe(false);
    });

    it('returns object values for multi-line indicators', () => {
      const bars = barsFromCloses([1, 3, 1, 3, 1]);
      const points = computeIndicatorSeries('bb_4_1', bars);
      expect(points[3]).toEqual({ time: bars[3]!.time, value: { middle: 2, upper: 3, lower: 1 } });
    });

    it('handles an empty history and a history shorter than the warm-up', () => {
      expect(computeIndicatorSeries('macd_12_26_9', [])).toEqual([]);
      const bars = barsFromCloses([1, 2, 3]);
      expect(computeIndicatorSeries('rsi_14', bars).every((p) => p.value === undefined)).toBe(true);
    });

    it('rejects unordered bars, bad prices and bad names', () => {
      const bars = barsFromCloses([1, 2, 3, 4]);
      const swapped = [bars[0]!, bars[2]!, bars[1]!, bars[3]!];
      expect(errorOf(() => computeIndicatorSeries('sma_2', swapped)).code).toBe('OUT_OF_ORDER_BAR');
      const dup = [bars[0]!, bars[0]!];
      expect(errorOf(() => computeIndicatorSeries('ema_2', dup)).code).toBe('OUT_OF_ORDER_BAR');
      const nan = [bars[0]!, { ...bars[1]!, close: Number.NaN }];
      expect(errorOf(() => computeIndicatorSeries('sma_2', nan)).code).toBe('INVALID_INPUT');
      expect(errorOf(() => computeIndicatorSeries('nope_2', bars)).code).toBe('UNKNOWN_INDICATOR');
    });
  });
});
