// Data stored behind the alerter's watermark is evaluated, whether its NOTIFY is read or lost: a signal
// the analyzer's recompute stores while the alerter is down or its LISTEN connection is gone (the chaos
// run lost 10 alerts this way), and a closed bar rewritten by a repair while the alerter runs or is down.
// Every alert the stored data deserves is stored once; one already raised on a bar's old values stays.
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { evaluateBatch, parseRuleFile, type EngineEvent, type OhlcBar, type SignalEvent } from '../../core/src/index.ts';
import { minuteBars, MINUTE, T0 } from '../../core/src/alerts/test-events.ts';
import { writeHistoryBars } from '../../ingester/src/history-store.ts';
import { storeStep } from '../../alerter/src/alert-store.ts';
import type { DeliveryQueue } from '../../alerter/src/delivery-queue.ts';
import { readEvaluatedXmin, readSnapshotXmin } from '../../alerter/src/evaluated-xmin.ts';
import { alerterReads } from '../support/alerter-reads.ts';
import { alerterSettings, CONTRACT, rulesRoot, writeAnalyzerStep, writeBar } from '../support/alerter-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { trendSignal } from '../support/trend-signal.ts';
import { useAlerter } from '../support/use-alerter.ts';

const ground = useAlerter();

const { storedKeys, alerterWatermark, truncate } = alerterReads(() => ground.pool);

describe('alerter: the evaluated position', () => {
  it('is stored with the watermark in the step transaction, or alone', async () => {
    await truncate();
    const queue = {} as DeliveryQueue; // no alert: the queue is not used
    const first = await readSnapshotXmin(ground.pool);
    await storeStep(ground.pool, queue, [], T0, first);
    expect(await readEvaluatedXmin(ground.pool)).toBe(first);
    expect(await alerterWatermark()).toBe(T0);
    const second = (BigInt(first) + 1n).toString(); // a later position
    await storeStep(ground.pool, queue, [], undefined, second);
    expect(await readEvaluatedXmin(ground.pool)).toBe(second);
    expect(await alerterWatermark()).toBe(T0);
  });
});

const SIGNAL_RULES = `
- { name: trend-start, rule_type: signal, analyzer_id: trend, contracts: [SIM.MES], timeframes: [1m] }
`;

describe('alerter: signals stored behind its watermark', () => {
  const settings = alerterSettings({}, [{ analyzer_id: 'trend', timeframes: ['1m'] }]);
  const root = rulesRoot({ 'a.yaml': SIGNAL_RULES });
  const bars = minuteBars(Array.from({ length: 12 }, (_, i) => 100 + i));

  /** Bars 0..9 and the analyzer's watermark at bar 9 with a signal at bar 2, evaluated by a running alerter. */
  async function evaluatedThroughBar9(): Promise<void> {
    await truncate();
    await ground.start(root, settings);
    for (const bar of bars.slice(0, 10)) await writeBar(ground.pool, bar);
    await writeAnalyzerStep(ground.pool, 'trend', '1m', bars[9]!.time, [trendSignal(2, 2)]);
    // Bar 9 and the analyzer's step at bar 9 evaluated: known at bar 9's close, so passed.
    await eventually(async () => (await alerterWatermark()) >= bars[9]!.time + MINUTE);
    await eventually(async () => (await storedKeys()).length === 1);
    await ground.running.evaluator.idle();
    expect(await storedKeys()).toEqual(['trend-start|SIM.MES|1m|2025-03-03T00:02:00.000Z|uptrend_start']);
  }

  function expectedKeys(signals: readonly SignalEvent[]): string[] {
    const events: EngineEvent[] = [
      ...bars.slice(0, 10).map((bar): EngineEvent => ({ kind: 'bar', contractId: CONTRACT, timeframe: '1m', bar })),
      ...signals,
    ];
    return evaluateBatch(parseRuleFile(parseYaml(SIGNAL_RULES), 'a.yaml'), events)
      .map((a) => a.key)
      .sort();
  }

  it('evaluates a signal the analyzer stored behind it while the alerter was down, at its restart', async () => {
    await evaluatedThroughBar9();
    await ground.stop();
    // The analyzer's recompute after its own restart: a signal about bar 4, triggered at bar 5, behind
    // both watermarks; its NOTIFY goes to nobody.
    const late = trendSignal(4, 5, 'downtrend_start');
    await writeAnalyzerStep(ground.pool, 'trend', '1m', bars[9]!.time, [late]);
    await ground.start(root, settings);
    const expected = expectedKeys([trendSignal(2, 2), late]);
    expect(expected).toHaveLength(2);
    await eventually(async () => (await storedKeys()).length === expected.length);
    expect(await storedKeys()).toEqual(expected);
    await ground.stop();
  });

  it('evaluates a signal stored behind it while its LISTEN connection was lost, once LISTEN is back', async () => {
    await evaluatedThroughBar9();
    const lost = new Promise<void>((resolve) => {
      const evaluator = ground.running.evaluator;
      const original = evaluator.listenerLost.bind(evaluator);
      evaluator.listenerLost = () => {
        original();
        resolve();
      };
    });
    // A PostgreSQL restart as the listener sees it: its connection ends; the late signal's NOTIFY is lost.
    await ground.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'barstream-listener' AND datname = current_database()`,
    );
    await lost;
    const late = trendSignal(6, 7, 'downtrend_start');
    await writeAnalyzerStep(ground.pool, 'trend', '1m', bars[9]!.time, [late]);
    const expected = expectedKeys([trendSignal(2, 2), late]);
    await eventually(async () => (await storedKeys()).length === expected.length);
    expect(await storedKeys()).toEqual(expected);
    await ground.stop();
  });
});

const BAR_RULES = `
- { name: level-cross, rule_type: price_cross, level: 100, contracts: [SIM.MES], timeframes: [1m] }
- { name: volume, rule_type: volume_spike, multiple: 2, period: 3, contracts: [SIM.MES], timeframes: [1m] }
`;

describe('alerter: a closed bar rewritten after it was evaluated', () => {
  const settings = alerterSettings();
  const root = rulesRoot({ 'b.yaml': BAR_RULES });
  // Closes on one side of the level but bar 6 (a cross up and back down); volume flat.
  const original = minuteBars([99, 99, 99, 99, 99, 99, 101, 99, 99, 99, 99, 99, 99, 99, 99, 99]);

  const repaired = (bar: OhlcBar, close: number, volume: number): OhlcBar => ({
    ...bar,
    close,
    high: Math.max(bar.high, close + 0.25),
    low: Math.min(bar.low, close - 0.25),
    volume,
  });

  async function repair(bar: OhlcBar): Promise<void> {
    // As the connect-minute repair writes the vendor's bar: upsert + ohlc_update, closed.
    await writeHistoryBars(ground.pool, [{ ...bar, contractId: CONTRACT, unit: 2, value: 1, isClosed: true }]);
  }

  function batchKeys(list: readonly OhlcBar[]): string[] {
    const events = list.map((bar): EngineEvent => ({ kind: 'bar', contractId: CONTRACT, timeframe: '1m', bar }));
    return evaluateBatch(parseRuleFile(parseYaml(BAR_RULES), 'b.yaml'), events).map((a) => a.key);
  }

  it('evaluates the bar rules again from the corrected bar, live and after a restart, each alert once', async () => {
    await truncate();
    await ground.start(root, settings);
    for (const bar of original.slice(0, 12)) await writeBar(ground.pool, bar);
    await eventually(async () => (await alerterWatermark()) >= original[11]!.time + MINUTE);
    const before = batchKeys(original.slice(0, 12));
    expect(before).toHaveLength(2); // cross up at bar 6, down at bar 7
    expect(await storedKeys()).toEqual([...before].sort());

    // Live: bar 3 becomes a cross up with a volume spike, bar 6 loses its cross (its alerts stay).
    const fixed = [...original];
    fixed[3] = repaired(original[3]!, 101, 500);
    fixed[6] = repaired(original[6]!, 99, 100);
    await repair(fixed[3]);
    await repair(fixed[6]);
    const live = [...new Set([...before, ...batchKeys(fixed.slice(0, 12))])].sort();
    expect(live).toHaveLength(5); // + cross up at 3 (with its volume spike), cross down at 4
    await eventually(async () => (await storedKeys()).length === live.length);
    expect(await storedKeys()).toEqual(live);

    // Down: bar 9 is rewritten into a cross up; the restart finds it (its NOTIFY went to nobody).
    await ground.stop();
    fixed[9] = repaired(original[9]!, 102, 100);
    await repair(fixed[9]);
    await ground.start(root, settings);
    for (const bar of original.slice(12)) await writeBar(ground.pool, bar);
    const all = [...new Set([...live, ...batchKeys(fixed)])].sort();
    expect(all).toHaveLength(7); // + cross up at 9, down at 10
    await eventually(async () => (await alerterWatermark()) >= original[15]!.time + MINUTE);
    await eventually(async () => (await storedKeys()).length === all.length);
    expect(await storedKeys()).toEqual(all);
    // One delivery per alert: nothing evaluated again was stored twice.
    const { rows } = await ground.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM alerts');
    expect(rows[0]!.n).toBe(all.length);
  });
});
