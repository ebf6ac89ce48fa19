// Known answers of the rules evaluated on closed bars: price_cross, indicator, volume_spike; warm-up and cooldown.
import { describe, expect, it } from 'vitest';
import { computeIndicatorSeries } from '../indicators/registry.ts';
import { RuleEngine } from './rule-engine.ts';
import { barEvents, barIndexes, minuteBars, MINUTE, rules, runLive, T0 } from './test-events.ts';

const on = { contracts: ['SIM.MES'], timeframes: ['1m'] };
const live = (ruleSet: ReturnType<typeof rules>, closes: number[], volumes: number[] = []) =>
  runLive(ruleSet, barEvents('SIM.MES', '1m', minuteBars(closes, volumes)));

describe('price_cross', () => {
  it('fires when the close crosses a fixed level; a close on the level is not a side', () => {
    const r = rules({ ...on, name: 'level-100', rule_type: 'price_cross', level: 100, risk: { stop_points: 2, target_points: 4 } });
    const alerts = live(r, [99, 99, 100, 101, 101, 99]);
    expect(barIndexes(alerts)).toEqual([3, 5]);
    expect(alerts[0]).toEqual({
      key: `level-100|SIM.MES|1m|${new Date(T0 + 3 * MINUTE).toISOString()}|cross_up`,
      rule: 'level-100',
      ruleType: 'price_cross',
      contractId: 'SIM.MES',
      timeframe: '1m',
      setup: 'cross_up',
      barTime: T0 + 3 * MINUTE,
      knownAt: T0 + 4 * MINUTE,
      direction: 'long',
      entry: 101,
      stopLoss: 99,
      target: 105,
      confidence: 0.5, // 0.6 × 0.5 (ATR warming up) + 0.4 × 0.5 (volume average warming up)
      severity: 'info',
      priority: 0,
      details: { close: 101, level: 100, level_of: '100' },
      trendsLink: `/trends?contract=SIM.MES&tf=1m&at=${(T0 + 3 * MINUTE) / 1000}`,
    });
    expect(alerts[1]).toMatchObject({ setup: 'cross_down', direction: 'short', entry: 99, stopLoss: 101, target: 95 });
  });

  it('only the asked direction', () => {
    const r = rules({ ...on, name: 'up-only', rule_type: 'price_cross', level: 100, direction: 'up' });
    expect(barIndexes(live(r, [99, 101, 99, 101]))).toEqual([1, 3]);
  });

  it('crosses a moving level (ema_3) only once it is ready', () => {
    // ema_3: first value at bar 2 = 10 (close on it: no side); bar 3: 11.5 (close 13 above: first side);
    // bar 4: 9.75 (close 8 below: cross down); bar 5: 10.875 (close 12 above: cross up).
    const r = rules({ ...on, name: 'ema3', rule_type: 'price_cross', level: 'ema_3' });
    const alerts = live(r, [10, 10, 10, 13, 8, 12]);
    expect(barIndexes(alerts)).toEqual([4, 5]);
    expect(alerts.map((a) => a.details)).toEqual([
      { close: 8, level: 9.75, level_of: 'ema_3' },
      { close: 12, level: 10.875, level_of: 'ema_3' },
    ]);
  });
});

describe('indicator', () => {
  // rsi_2 on these closes: bar 2 → 100, bar 3 → 25, bar 4 → 16.67, bar 5 → 77.27, bar 6 → 21.8.
  const closes = [10, 11, 12, 9, 8, 12, 5];
  const rsiBelow30 = { ...on, rule_type: 'indicator', condition: { compare: { left: 'rsi_2', op: '<', right: 30 } } };

  it('on_enter fires on the bar the condition turns true', () => {
    const alerts = live(rules({ ...rsiBelow30, name: 'rsi' }), closes);
    expect(barIndexes(alerts)).toEqual([3, 6]);
    expect(alerts[0]).toMatchObject({ setup: 'condition', direction: 'none', entry: 9, stopLoss: null, target: null });
    expect(alerts[0]!.details).toEqual({ close: 9, rsi_2: 25, '30': 30 });
  });

  it('every_bar fires on each bar it holds; a cooldown in bars spaces them', () => {
    expect(barIndexes(live(rules({ ...rsiBelow30, name: 'rsi', fire: 'every_bar' }), closes))).toEqual([3, 4, 6]);
    expect(barIndexes(live(rules({ ...rsiBelow30, name: 'rsi', fire: 'every_bar', cooldown: '3 bars' }), closes))).toEqual([3, 6]);
    expect(barIndexes(live(rules({ ...rsiBelow30, name: 'rsi', fire: 'every_bar', cooldown: '4 bars' }), closes))).toEqual([3]);
    // A duration cooldown compares knownAt: bar 6 closes exactly 3 minutes after bar 3.
    expect(barIndexes(live(rules({ ...rsiBelow30, name: 'rsi', fire: 'every_bar', cooldown: '3m' }), closes))).toEqual([3, 6]);
    expect(barIndexes(live(rules({ ...rsiBelow30, name: 'rsi', fire: 'every_bar', cooldown: '181s' }), closes))).toEqual([3]);
  });

  it('replay() applies the gates without returning alerts (a rebuild), so a cooldown started in it holds after', () => {
    const engine = new RuleEngine(rules({ ...rsiBelow30, name: 'rsi', fire: 'every_bar', cooldown: '3 bars' }));
    const events = barEvents('SIM.MES', '1m', minuteBars(closes));
    for (const e of events.slice(0, 4)) engine.replay(e); // bar 3 "fires" here
    expect(barIndexes(events.slice(4).flatMap((e) => engine.process(e)))).toEqual([6]); // bar 4: still cooling down
  });

  it('respects warm-up: rsi_14 < 101 first holds on bar 14 (15 bars), and on_enter needs a ready false bar first', () => {
    const closes30 = Array.from({ length: 30 }, (_, i) => 100 + (i % 3));
    const always = { ...on, rule_type: 'indicator', condition: { compare: { left: 'rsi_14', op: '<', right: 101 } } };
    expect(barIndexes(live(rules({ ...always, name: 'always', fire: 'every_bar' }), closes30))[0]).toBe(14);
    expect(live(rules({ ...always, name: 'always' }), closes30)).toEqual([]);
  });

  it('a MACD histogram sign change fires exactly where the batch series changes sign, in the asked direction', () => {
    const closes60 = Array.from({ length: 120 }, (_, i) => 100 + 10 * Math.sin(i / 4));
    const hist = computeIndicatorSeries('macd_3_6_2', minuteBars(closes60)).map((p) => p.value?.histogram);
    const flips: { i: number; up: boolean }[] = [];
    let last = 0;
    hist.forEach((h, i) => {
      if (h === undefined || h === 0) return;
      if (last !== 0 && Math.sign(h) !== last) flips.push({ i, up: h > 0 });
      last = Math.sign(h);
    });
    expect(flips.length).toBeGreaterThan(4);
    const base = { ...on, rule_type: 'indicator', condition: { sign_change: { of: 'macd_3_6_2.histogram' } } };
    expect(barIndexes(live(rules({ ...base, name: 'macd' }), closes60))).toEqual(flips.map((f) => f.i));
    const up = { ...on, rule_type: 'indicator', condition: { sign_change: { of: 'macd_3_6_2.histogram', direction: 'up' } } };
    expect(barIndexes(live(rules({ ...up, name: 'macd-up' }), closes60))).toEqual(flips.filter((f) => f.up).map((f) => f.i));
  });

  it('a Bollinger break fires on a close outside the bands', () => {
    // bb_3_1: bar 3 window 10,10,13 → upper 12.41 (13 above); bar 4: 10,13,13 → upper 13.41 (inside);
    // bar 5: 13,13,5 → lower 6.56 (5 below).
    const r = rules({ ...on, name: 'bb', rule_type: 'indicator', fire: 'every_bar', condition: { band_break: { bands: 'bb_3_1' } } });
    const alerts = live(r, [10, 10, 10, 13, 13, 5]);
    expect(barIndexes(alerts)).toEqual([3, 5]);
    expect(alerts[0]!.details['bb_3_1.upper']).toBeCloseTo(11 + Math.SQRT2, 12);
    const upper = rules({
      ...on,
      name: 'bb',
      rule_type: 'indicator',
      fire: 'every_bar',
      condition: { band_break: { bands: 'bb_3_1', side: 'upper' } },
    });
    expect(barIndexes(live(upper, [10, 10, 10, 13, 13, 5]))).toEqual([3]);
  });

  it('all / any combine conditions', () => {
    const both = { all: [{ compare: { left: 'rsi_2', op: '<', right: 30 } }, { compare: { left: 'close', op: '<', right: 9 } }] };
    expect(barIndexes(live(rules({ ...on, name: 'both', rule_type: 'indicator', fire: 'every_bar', condition: both }), closes))).toEqual([
      4, 6,
    ]);
    const either = { any: [{ compare: { left: 'rsi_2', op: '>', right: 90 } }, { compare: { left: 'close', op: '<=', right: 5 } }] };
    expect(
      barIndexes(live(rules({ ...on, name: 'either', rule_type: 'indicator', fire: 'every_bar', condition: either }), closes)),
    ).toEqual([2, 6]);
  });
});

describe('volume_spike', () => {
  it('fires on volume above multiple × the average of the bars before, not before that average exists', () => {
    const r = rules({
      ...on,
      name: 'spike',
      rule_type: 'volume_spike',
      multiple: 2,
      period: 2,
      direction: 'long',
      risk: { stop_points: 1, target_points: 2 },
    });
    // bar 1: 900 but no average of 2 bars before it yet; bars 2, 3 compare with 500; bar 4: 250 vs 100 → 2.5×;
    // bar 5: 300 vs 175 → below 2×.
    const alerts = live(r, [10, 10, 10, 10, 10, 10], [100, 900, 100, 100, 250, 300]);
    expect(barIndexes(alerts)).toEqual([4]);
    expect(alerts[0]).toMatchObject({
      direction: 'long',
      entry: 10,
      stopLoss: 9,
      target: 12,
      details: { volume: 250, volume_average: 100 },
    });
  });

  it('reports ratio and strength', () => {
    const r = rules({ ...on, name: 'spike', rule_type: 'volume_spike', multiple: 2, period: 3 });
    const alerts = live(r, [10, 10, 10, 10, 10], [100, 100, 100, 250, 100]);
    expect(barIndexes(alerts)).toEqual([3]);
    expect(alerts[0]!.details).toEqual({ volume: 250, volume_average: 100, ratio: 2.5, close: 10 });
  });
});

describe('ordering', () => {
  it('rejects a bar that is not after the last of its series, and an event known before the last one', () => {
    const r = rules({ ...on, name: 'level', rule_type: 'price_cross', level: 100 });
    const [b0, b1] = minuteBars([99, 101]);
    expect(() => runLive(r, barEvents('SIM.MES', '1m', [b1!, b0!]))).toThrow(
      /^event: bar SIM.MES 1m known at 2025-03-03T00:01:00.000Z comes after an event known at 2025-03-03T00:02:00.000Z/,
    );
    expect(() => runLive(r, barEvents('SIM.MES', '1m', [b0!, b0!]))).toThrow(
      'bar.time: SIM.MES 1m: bar 2025-03-03T00:00:00.000Z is not after the last one',
    );
  });
});
