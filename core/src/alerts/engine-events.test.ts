import { describe, expect, it } from 'vitest';
import { canonicalOrder } from './batch-evaluation.ts';
import { compareEvents, fixedCloseTime, knownAt, signalEventFromMessage, type EngineEvent } from './engine-events.ts';
import { RuleEngine } from './rule-engine.ts';
import { barEvents, minuteBars, MINUTE, rules, signal, T0 } from './test-events.ts';

describe('engine events', () => {
  it('knows a bar at its close and a signal at its trigger bar close', () => {
    const [bar] = barEvents('SIM.MES', '5m', minuteBars([1]));
    expect(knownAt(bar!, fixedCloseTime)).toBe(T0 + 5 * MINUTE);
    expect(knownAt(signal('SIM.MES', '1h', 'uptrend_start', T0, T0 + 60 * MINUTE), fixedCloseTime)).toBe(T0 + 120 * MINUTE);
  });

  it('needs the session calendar for daily bars', () => {
    expect(() => fixedCloseTime('1d', T0)).toThrow(
      'timeframe: 1d bars have no fixed length; give the engine a closeTimeOf built on the session calendar',
    );
    const engine = new RuleEngine(rules({ name: 'd', contracts: ['SIM.MES'], timeframes: ['1d'], rule_type: 'price_cross', level: 1 }), {
      closeTimeOf: (tf, t) => (tf === '1d' ? t + 23 * 60 * MINUTE : fixedCloseTime(tf, t)),
    });
    expect(engine.onBar('SIM.MES', '1d', { time: T0, open: 1, high: 2, low: 0, close: 2, volume: 1 })).toEqual([]);
    expect(engine.position).toBe(T0 + 23 * 60 * MINUTE);
  });

  it('orders one instant: bars, then signals of longer timeframes first, then contract', () => {
    const [b5] = barEvents('SIM.MNQ', '5m', minuteBars([1], [], T0 + 55 * MINUTE)); // closes 01:00
    const [b1h] = barEvents('SIM.MES', '1h', minuteBars([1])); // closes 01:00
    const s5 = signal('SIM.MES', '5m', 'uptrend_start', T0 + 40 * MINUTE, T0 + 55 * MINUTE);
    const s1h = signal('SIM.MES', '1h', 'uptrend_start', T0, T0);
    const sMnq = signal('SIM.MNQ', '5m', 'uptrend_start', T0 + 40 * MINUTE, T0 + 55 * MINUTE);
    const early = signal('SIM.MNQ', '1m', 'x', T0, T0); // known 00:01
    const input: EngineEvent[] = [sMnq, s5, b5!, s1h, early, b1h!];
    expect(canonicalOrder(input)).toEqual([early, b1h, b5, s1h, s5, sMnq]);
    expect(compareEvents(s5, s5)).toBe(0);
    expect(input[0]).toBe(sMnq); // the input is not reordered in place
  });

  it('maps a signal_detected payload', () => {
    const e = signalEventFromMessage({
      type: 'signal',
      signal_id: 7,
      analyzer_id: 'a',
      contract_id: 'SIM.MES',
      timeframe: '5m',
      timestamp: '2025-03-03T00:05:00.000Z',
      trigger_timestamp: '2025-03-03T00:20:00+00:00',
      signal_type: 'uptrend_start',
      signal_price: 5000.25,
      details: { rule: 'x' },
    });
    expect(e).toEqual({
      ...signal('SIM.MES', '5m', 'uptrend_start', T0 + 5 * MINUTE, T0 + 20 * MINUTE, 'a', { rule: 'x' }),
      price: 5000.25,
    });
  });
});
