import type { UTCTimestamp } from 'lightweight-charts';
import { describe, expect, it } from 'vitest';
import { describeSignal } from './signal-description.ts';
import { type ChartSignal, directionOf, signalMarkers, toChartSignal } from './signal-markers.ts';

const TREND = 'cus_cds_trend_finder';
const signal = (
  signalId: number,
  analyzerId: string,
  time: number,
  signalType: string,
  details: Record<string, unknown> = {},
): ChartSignal => ({
  signalId,
  analyzerId,
  timeframe: '1m',
  time: time as UTCTimestamp,
  signalType,
  price: 100,
  details,
});

describe('signalMarkers', () => {
  const signals = [
    signal(3, 'ema_cross', 120, 'sell'),
    signal(1, TREND, 60, 'uptrend_start'),
    signal(2, TREND, 180, 'downtrend_start'),
    signal(4, 'ema_cross_rsi', 60, 'buy'),
  ];

  it('draws trend starts as arrows and other strategies as circles, in time order', () => {
    const markers = signalMarkers(signals, TREND, { trendStarts: true, hiddenAnalyzers: new Set() });
    expect(markers.map((m) => [m.time, m.id, m.shape, m.position])).toEqual([
      [60, 'signal-1', 'arrowUp', 'belowBar'],
      [60, 'signal-4', 'circle', 'belowBar'],
      [120, 'signal-3', 'circle', 'aboveBar'],
      [180, 'signal-2', 'arrowDown', 'aboveBar'],
    ]);
    expect(markers[1]?.color).not.toBe(markers[2]?.color);
  });

  it('leaves out the sets switched off', () => {
    expect(signalMarkers(signals, TREND, { trendStarts: false, hiddenAnalyzers: new Set(['ema_cross']) }).map((m) => m.id)).toEqual([
      'signal-4',
    ]);
  });

  it('reads direction from free-form types', () => {
    expect(['uptrend_start', 'BUY', 'cus', 'downtrend_start', 'sell', 'cds', 'flat'].map(directionOf)).toEqual([
      'up',
      'up',
      'up',
      'down',
      'down',
      'down',
      'neutral',
    ]);
  });

  it('converts wire signals and skips unreadable times', () => {
    const wire = {
      signal_id: 9,
      analyzer_id: TREND,
      timestamp: '2025-06-02T14:05:00.000Z',
      signal_type: 'uptrend_start',
      signal_price: 5,
      details: {},
    };
    expect(toChartSignal(wire, '5m')).toMatchObject({ signalId: 9, time: Date.parse(wire.timestamp) / 1000, timeframe: '5m' });
    expect(toChartSignal({ ...wire, timestamp: 'nope' }, '5m')).toBeUndefined();
  });
});

describe('describeSignal', () => {
  const fmt = (s: number) => new Date(s * 1000).toISOString().slice(11, 16);

  it('names the rule and the bar that triggered a trend start', () => {
    const d = describeSignal(
      signal(1, TREND, 3600, 'uptrend_start', {
        rule: 'cus_rule_2',
        bar_index: 10,
        trigger_bar_index: 12,
        trigger_time: '1970-01-01T01:02:00.000Z',
      }),
      fmt,
    );
    expect(d.title).toBe('Uptrend start · cus_cds_trend_finder · 1m');
    expect(d.lines).toEqual(['Rule: cus_rule_2', 'Bar: 01:00 (#10)', 'Triggered by bar: 01:02 (#12)', 'Price 100']);
  });

  it('shows an EMA cross with its EMAs, RSI and confidence', () => {
    const d = describeSignal(
      signal(2, 'ema_cross', 60, 'buy', {
        fast_ema: 101.234,
        slow_ema: 100.5,
        rsi: 55.55,
        confidence: 0.8,
        rule: 'ema20_above_ema50',
        trigger_time: '1970-01-01T00:01:00.000Z',
      }),
      fmt,
    );
    expect(d.lines).toEqual([
      'Rule: ema20_above_ema50',
      'Bar: 00:01',
      'Triggered by bar: 00:01',
      'Fast EMA 101.23 · slow EMA 100.50',
      'RSI 55.5',
      'Confidence 0.80',
      'Price 100',
    ]);
  });
});
