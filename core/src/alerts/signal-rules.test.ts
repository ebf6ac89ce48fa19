// Known answers of the rules evaluated on signals: signal and confluence; cooldown, dedupe, windows and repeats on signals.
import { describe, expect, it } from 'vitest';
import { canonicalOrder, evaluateBatch } from './batch-evaluation.ts';
import type { EngineEvent } from './engine-events.ts';
import { barEvents, minuteBars, MINUTE, rules, runLive, signal, T0 } from './test-events.ts';

const at = (minutes: number): number => T0 + minutes * MINUTE;
const iso = (minutes: number): string => new Date(at(minutes)).toISOString();

describe('signal', () => {
  const sig = {
    name: 'trend',
    contracts: ['SIM.MES'],
    timeframes: ['1m'],
    rule_type: 'signal',
    analyzer_id: 'cus_cds_trend_finder',
    signal_types: ['uptrend_start', 'downtrend_start'],
    severity: 'warning',
    risk: { atr: 'atr_2', stop_atr: 1, target_atr: 2 },
  };
  // True ranges 1.5 on bars 1-3, 2.5 on bar 4, 1.5 after: atr_2 is 1.5 on bars 2-3, then 2, 1.75, 1.625.
  const bars = barEvents('SIM.MES', '1m', minuteBars([100, 101, 102, 101, 103, 104, 105, 104, 103, 102]));
  const events = (...signals: EngineEvent[]): EngineEvent[] => canonicalOrder([...bars, ...signals]);

  it('fires on a listed type of the analyzer, about the signal bar, entering at the trigger bar close', () => {
    const alerts = runLive(
      rules(sig),
      events(
        signal('SIM.MES', '1m', 'uptrend_start', at(1), at(3), 'cus_cds_trend_finder', { rule: 'cds', confidence: 0.8, nested: { x: 1 } }),
        signal('SIM.MES', '1m', 'uptrend_start', at(2), at(4), 'ema_cross'), // another analyzer
        signal('SIM.MES', '1m', 'buy', at(5), at(5)), // a type not listed
      ),
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toEqual({
      key: `trend|SIM.MES|1m|${iso(1)}|uptrend_start`,
      rule: 'trend',
      ruleType: 'signal',
      contractId: 'SIM.MES',
      timeframe: '1m',
      setup: 'uptrend_start',
      barTime: at(1),
      knownAt: at(4),
      direction: 'long',
      entry: 101,
      stopLoss: 99.5,
      target: 104,
      confidence: 0.68, // 0.6 × 0.8 + 0.4 × 0.5 (volume average warming up)
      severity: 'warning',
      priority: 0,
      details: {
        analyzer_id: 'cus_cds_trend_finder',
        signal_type: 'uptrend_start',
        signal_price: null,
        signal_time: iso(1),
        trigger_time: iso(3),
        'signal.rule': 'cds',
        'signal.confidence': 0.8,
      },
      trendsLink: `/trends?contract=SIM.MES&tf=1m&at=${at(1) / 1000}`,
    });
  });

  it('a short setup mirrors the levels; without its trigger bar the entry is the signal price', () => {
    const down = { ...signal('SIM.MES', '1m', 'downtrend_start', at(4), at(6)), price: 104.5 };
    const [a] = runLive(rules(sig), events(down));
    expect(a).toMatchObject({ direction: 'short', entry: 105, stopLoss: 105 + 1.625, target: 105 - 2 * 1.625 });
    const [b] = runLive(rules(sig), [down]);
    expect(b).toMatchObject({ direction: 'short', entry: 104.5, stopLoss: null, target: null }); // no bars: no ATR
  });

  it('drops a repeated signal and applies a cooldown in bars of the series', () => {
    const up = (bar: number, trigger: number) => signal('SIM.MES', '1m', 'uptrend_start', at(bar), at(trigger));
    expect(runLive(rules(sig), events(up(1, 3), up(1, 3))).map((a) => a.barTime)).toEqual([at(1)]);
    const cooled = rules({ ...sig, cooldown: '3 bars' });
    // Fired at trigger bar 3; bar 5 is 2 bars later (suppressed, starts nothing); bar 6 is 3 later.
    expect(runLive(cooled, events(up(1, 3), up(4, 5), up(5, 6), up(7, 8))).map((a) => a.barTime)).toEqual([at(1), at(5)]);
  });

  it('dedupes the same setup on any timeframe of the contract within the window', () => {
    const r = rules({ ...sig, timeframes: ['1m', '5m'], dedupe_window: '10m' });
    const alerts = runLive(
      r,
      canonicalOrder([
        signal('SIM.MES', '1m', 'uptrend_start', at(1), at(3)), // known 00:04: fires
        signal('SIM.MES', '5m', 'uptrend_start', at(0), at(5)), // known 00:10: within 10m of 00:04
        signal('SIM.MES', '1m', 'downtrend_start', at(8), at(9)), // another setup: fires
        signal('SIM.MES', '5m', 'uptrend_start', at(5), at(10)), // known 00:15: 11m after 00:04
      ]),
    );
    expect(alerts.map((a) => [a.timeframe, a.setup, a.knownAt])).toEqual([
      ['1m', 'uptrend_start', at(4)],
      ['1m', 'downtrend_start', at(10)],
      ['5m', 'uptrend_start', at(15)],
    ]);
  });

  it('raises only alerts known inside the time window (end exclusive)', () => {
    const r = rules({ ...sig, window: { timezone: 'UTC', ranges: ['00:00-00:06'] } });
    const up = (trigger: number) => signal('SIM.MES', '1m', 'uptrend_start', at(trigger - 1), at(trigger));
    expect(runLive(r, events(up(3), up(4), up(5))).map((a) => a.knownAt)).toEqual([at(4), at(5)]);
  });

  it('applies a Chicago window on both sides of the DST change (08:30 local is 14:30 UTC in CST, 13:30 UTC in CDT)', () => {
    const r = rules({
      ...sig,
      window: { timezone: 'America/Chicago', ranges: ['08:30-09:00'], weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] },
    });
    // A 1m signal is known one minute after its trigger bar opens.
    const knownAtUtc = (iso: string) => {
      const known = Date.parse(iso);
      return signal('SIM.MES', '1m', 'uptrend_start', known - 2 * MINUTE, known - MINUTE);
    };
    const alerts = runLive(r, [
      knownAtUtc('2025-03-07T14:29:00Z'), // Fri 08:29 CST: before
      knownAtUtc('2025-03-07T14:30:00Z'), // Fri 08:30 CST: in
      knownAtUtc('2025-03-08T14:40:00Z'), // Sat: not a listed weekday
      knownAtUtc('2025-03-10T13:30:00Z'), // Mon 08:30 CDT: in
      knownAtUtc('2025-03-10T14:30:00Z'), // Mon 09:30 CDT: after
    ]);
    expect(alerts.map((a) => new Date(a.knownAt).toISOString())).toEqual(['2025-03-07T14:30:00.000Z', '2025-03-10T13:30:00.000Z']);
  });

  it('applies to the watchlist when asked, and ignores inactive rules', () => {
    const up = signal('SIM.MES', '1m', 'uptrend_start', at(1), at(3));
    const watched = rules({ ...sig, contracts: 'watchlist' });
    expect(runLive(watched, events(up), { watchlist: ['SIM.MES'] })).toHaveLength(1);
    expect(runLive(watched, events(up), { watchlist: ['SIM.MNQ'] })).toHaveLength(0);
    expect(runLive(rules({ ...sig, is_active: false }), events(up))).toHaveLength(0);
  });
});

describe('confluence', () => {
  const rule = rules({
    name: 'mtf',
    contracts: ['SIM.MES'],
    timeframes: ['5m'],
    rule_type: 'confluence',
    higher: { timeframe: '1h', analyzer_id: 'a', within_bars: 2 },
    trigger: { analyzer_id: 'a', within_bars: 3 },
  });
  const bars = [
    ...barEvents(
      'SIM.MES',
      '5m',
      minuteBars(
        Array.from({ length: 84 }, () => 100),
        [],
        T0,
        5 * MINUTE,
      ),
    ), // 00:00 … 06:55
    ...barEvents('SIM.MES', '1h', minuteBars([100, 100, 100, 100, 100, 100], [], T0, 60 * MINUTE)), // 00:00 … 05:00
  ];
  const s5 = (type: string, bar: number, trigger: number) => signal('SIM.MES', '5m', type, at(bar), at(trigger), 'a');
  const s1h = (type: string, bar: number, trigger: number) => signal('SIM.MES', '1h', type, at(bar * 60), at(trigger * 60), 'a');

  it('fires on a fresh trigger-timeframe trend start in the direction of the higher trend in force', () => {
    const alerts = evaluateBatch(rule, [
      ...bars,
      s1h('uptrend_start', 1, 2), // 1h trend up from 01:00, known 03:00
      s5('uptrend_start', 190, 200), // 03:10, known 03:25: 2 bars old; 1h trend 1 bar old → fires
      s5('downtrend_start', 210, 215), // against the trend
      s5('uptrend_start', 200, 225), // known 03:50: 5 bars old, stale
      s5('uptrend_start', 245, 250), // 04:05, known 04:15: 1h trend 2 bars old → fires
      s5('uptrend_start', 305, 310), // known 05:15: 1h trend 3 bars old, no longer in force
      s1h('downtrend_start', 4, 4), // 1h trend down from 04:00, known 05:00
      s5('downtrend_start', 320, 325), // 05:20, known 05:30 → fires short
    ]);
    expect(alerts.map((a) => [a.setup, new Date(a.barTime).toISOString().slice(11, 16), a.direction])).toEqual([
      ['uptrend_start', '03:10', 'long'],
      ['uptrend_start', '04:05', 'long'],
      ['downtrend_start', '05:20', 'short'],
    ]);
    expect(alerts[0]!.details).toMatchObject({
      trigger_bars_ago: 2,
      higher_timeframe: '1h',
      higher_analyzer_id: 'a',
      higher_signal_type: 'uptrend_start',
      higher_signal_time: '2025-03-03T01:00:00.000Z',
      higher_bars_ago: 1,
    });
    // strength 0.5 + 0.25 × (1 − 2/4) + 0.25 × (1 − 1/3); volume flat at its average → volume score 1/1.5.
    expect(alerts[0]!.confidence).toBe(Math.round((0.6 * (0.5 + 0.125 + 0.25 * (2 / 3)) + 0.4 / 1.5) * 10_000) / 10_000);
  });

  it('sees the higher trend of the same instant whatever order the two signals come in', () => {
    const higher = s1h('uptrend_start', 2, 3); // known 04:00
    const trigger = s5('uptrend_start', 230, 235); // 03:50, known 04:00
    expect(evaluateBatch(rule, [...bars, trigger, higher])).toHaveLength(1);
    expect(evaluateBatch(rule, [...bars, higher, trigger])).toHaveLength(1);
  });
});
