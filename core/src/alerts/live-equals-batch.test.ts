// Live == batch: the engine fed one event at a time, restarted (rebuilt from the same first event) along
// the way, produces exactly the alerts of a batch evaluation of the same rules over the same stored events.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../ingester/src/providers/seeded-random.ts';
import { seriesEvents, rollUp } from '../../../tests/support/alert-history.ts';
import { hasSharedData, readShared } from '../../../tests/support/shared-data.ts';
import { syntheticBars } from '../../../tests/support/synthetic-bars.ts';
import { parseMesCsv } from '../strategies/mes-csv.ts';
import type { Alert } from './alert.ts';
import { canonicalOrder, evaluateBatch, rebuildEngine } from './batch-evaluation.ts';
import { fixedCloseTime, knownAt, type EngineEvent } from './engine-events.ts';
import { RULE_TYPES, type AlertRule } from './rule-schema.ts';
import { rules } from './test-events.ts';

/** One or more rules of every type, with cooldowns, dedupe windows and a DST-aware session window. */
function ruleSet(contracts: string[]): AlertRule[] {
  const on = { contracts, timeframes: ['5m'] };
  return rules(
    { ...on, name: 'trend-start', rule_type: 'signal', analyzer_id: 'cus_cds_trend_finder', cooldown: '2 bars', timeframes: ['5m', '1h'] },
    { ...on, name: 'ema-cross-signal', rule_type: 'signal', analyzer_id: 'ema_cross', dedupe_window: '1h', priority: 5 },
    { ...on, name: 'ema50-cross', rule_type: 'price_cross', level: 'ema_50', cooldown: '30m' },
    { ...on, name: 'level-cross', rule_type: 'price_cross', level: 'bb_20_2.middle', direction: 'up', timeframes: ['1h'] },
    {
      ...on,
      name: 'rsi-oversold-rth',
      rule_type: 'indicator',
      direction: 'long',
      condition: { compare: { left: 'rsi_14', op: '<', right: 35 } },
      window: { timezone: 'America/Chicago', ranges: ['08:30-15:00'], weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] },
    },
    {
      ...on,
      name: 'macd-flip',
      rule_type: 'indicator',
      condition: { sign_change: { of: 'macd_12_26_9.histogram' } },
      risk: { stop_points: 4, target_points: 8 },
    },
    {
      ...on,
      name: 'bb-break-night',
      rule_type: 'indicator',
      fire: 'every_bar',
      condition: { band_break: { bands: 'bb_20_2' } },
      window: { timezone: 'UTC', ranges: ['22:00-06:00'] },
    },
    { ...on, name: 'volume-spike', rule_type: 'volume_spike', multiple: 2, cooldown: '3 bars', severity: 'warning' },
    {
      ...on,
      name: 'mtf-trend',
      rule_type: 'confluence',
      severity: 'critical',
      higher: { timeframe: '1h', analyzer_id: 'cus_cds_trend_finder', within_bars: 24 },
      trigger: { analyzer_id: 'cus_cds_trend_finder', within_bars: 6 },
    },
  );
}

/** Live: canonical order, one event at a time; at each restart point a new engine is rebuilt from event 0. */
function liveWithRestarts(ruleSet: AlertRule[], events: EngineEvent[], restarts: number[]): Alert[] {
  const ordered = canonicalOrder(events);
  const out: Alert[] = [];
  let engine = rebuildEngine(ruleSet, []);
  ordered.forEach((event, i) => {
    if (restarts.includes(i)) engine = rebuildEngine(ruleSet, ordered.slice(0, i));
    out.push(...engine.process(event));
  });
  return out;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function expectLiveEqualsBatch(ruleSet: AlertRule[], events: EngineEvent[]): void {
  const n = events.length;
  const live = liveWithRestarts(ruleSet, events, [Math.floor(n / 5), Math.floor(n / 2), n - 7]);
  const batch = evaluateBatch(ruleSet, shuffled(events, 11));
  expect(live).toEqual(batch);
  // The comparison means something only if every rule type, and every rule, fired.
  const byRule = new Map<string, number>();
  for (const a of batch) byRule.set(a.rule, (byRule.get(a.rule) ?? 0) + 1);
  expect([...byRule.keys()].sort()).toEqual(ruleSet.map((r) => r.name).sort());
  expect(new Set(batch.map((a) => a.ruleType))).toEqual(new Set(RULE_TYPES));
  expect(new Set(batch.map((a) => a.key)).size).toBe(batch.length);
}

describe('live equals batch', () => {
  it('on a synthetic history of two contracts (5m and their 1h roll-up)', () => {
    const start = Date.parse('2025-03-03T00:00:00Z'); // across the 2025-03-09 DST change of the Chicago window
    const events = ['SIM.MES', 'SIM.MNQ'].flatMap((contract, k) => {
      const m5 = syntheticBars(6_000, { start, stepMs: 300_000, seed: 3 + k, price: 5000 + 10_000 * k });
      return seriesEvents(contract, { '5m': m5, '1h': rollUp(m5, 3_600_000) });
    });
    expectLiveEqualsBatch(ruleSet(['SIM.MES', 'SIM.MNQ']), events);
  });

  it.skipIf(!hasSharedData)('on the real MES bars (5m and 1h files)', () => {
    const contract = 'CON.F.US.MES.M25';
    const events = seriesEvents(contract, {
      '5m': parseMesCsv(readShared('MES_M25_5m.csv')).bars,
      '1h': parseMesCsv(readShared('MES_M25_1h.csv')).bars,
    });
    expectLiveEqualsBatch(ruleSet([contract]), events);
  });
});

describe('order inside one instant', () => {
  it('between series changes only the order of alerts, for rules that read one series (all but confluence)', () => {
    const start = Date.parse('2025-03-03T00:00:00Z');
    const events = ['SIM.MES', 'SIM.MNQ'].flatMap((contract, k) => {
      const m5 = syntheticBars(3_000, { start, stepMs: 300_000, seed: 5 + k, price: 5000 + 10_000 * k });
      return seriesEvents(contract, { '5m': m5, '1h': rollUp(m5, 3_600_000) });
    });
    const singleSeries = ruleSet(['SIM.MES', 'SIM.MNQ']).filter((r) => r.rule_type !== 'confluence');
    const canonical = canonicalOrder(events);
    // Same knownAt order; inside an instant, bars first, then the series in a random order, each series'
    // own events in canonical order (several signals of one series at one instant meet the same
    // cooldown, so their order is the alerter's to keep: it reads them from the tables).
    const random = seededRandom(17);
    const seriesRank = new Map<string, number>();
    const rank = (e: EngineEvent, at: number): number => {
      const id = `${at}|${e.contractId}|${e.timeframe}`;
      let r = seriesRank.get(id);
      if (r === undefined) seriesRank.set(id, (r = random()));
      return r;
    };
    const keyed = canonical.map((event, i) => {
      const at = knownAt(event, fixedCloseTime);
      return { event, i, at, rank: rank(event, at) };
    });
    keyed.sort((a, b) => a.at - b.at || (a.event.kind === b.event.kind ? a.rank - b.rank || a.i - b.i : a.event.kind === 'bar' ? -1 : 1));
    const permuted = keyed.map((k) => k.event);
    expect(permuted).not.toEqual(canonical);
    const byKey = (alerts: Alert[]): Alert[] => [...alerts].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const engine = rebuildEngine(singleSeries, []);
    const live = permuted.flatMap((e) => engine.process(e));
    expect(byKey(live)).toEqual(byKey(evaluateBatch(singleSeries, events)));
    expect(live.length).toBeGreaterThan(100);
  });
});
