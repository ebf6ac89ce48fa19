import { describe, expect, it } from 'vitest';
import { mergeInputs } from './run-inputs.ts';
import type { RunSeries } from './run-series.ts';

const series: RunSeries = {
  contractId: 'X',
  timeframe: { unit: 2, value: 5 },
  timeframeLabel: '5m',
  analyzerId: 'a',
  signalTypes: ['buy'],
  stepMs: 300_000,
  ticks: true,
};
const bar = (i: number) => ({ time: i * 300_000, open: 1, high: 1, low: 1, close: 1, volume: 1 });

describe('mergeInputs', () => {
  it('orders trades inside a bar, the bar, its signals, then commands applied after it', () => {
    const merged = [
      ...mergeInputs(
        series,
        [bar(0), bar(1)],
        [{ time: 0, trigger: 0, type: 'buy', price: 1 }],
        [{ seq: 1, at: 299_999, command: { type: 'emergency_stop' } }],
        [
          { time: 10, price: 1, size: 1 },
          { time: 299_999, price: 1, size: 1 },
          { time: 300_000, price: 1, size: 1 },
        ],
      ),
    ].map((k) => `${k.input.kind}@${k.key}`);
    expect(merged).toEqual(['trade@10', 'trade@299999', 'bar@299999', 'signal@299999', 'command@299999', 'trade@300000', 'bar@599999']);
  });

  it('names a signal by its bar time and type, whatever its storage id', () => {
    const [, sig] = [...mergeInputs(series, [bar(0)], [{ time: 0, trigger: 0, type: 'buy', price: null }])];
    expect(sig?.input).toEqual({ kind: 'signal', key: '0.buy', type: 'buy', time: 299_999, price: null });
  });
});
