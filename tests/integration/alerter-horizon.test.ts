// How far the alerter evaluates: a watched contract that goes quiet does not hold the others back (its
// bars, when they come, are evaluated as late data), and rules on daily bars are evaluated at the close
// their session calendar gives them. Both end equal to a batch evaluation of the stored bars.
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { evaluateBatch, fixedCloseTime, parseRuleFile, type EngineEvent, type OhlcBar } from '../../core/src/index.ts';
import { minuteBars, MINUTE, T0 } from '../../core/src/alerts/test-events.ts';
import { alerterReads } from '../support/alerter-reads.ts';
import { alerterSettings, CONTRACT, rulesRoot, writeBar } from '../support/alerter-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { useAlerter } from '../support/use-alerter.ts';

const OTHER = 'SIM.MNQ';
const DAY = 86_400_000;

const ground = useAlerter();
const { storedKeys, alerterWatermark, truncate } = alerterReads(() => ground.pool);

const events = (contractId: string, timeframe: string, bars: readonly OhlcBar[]): EngineEvent[] =>
  bars.map((bar) => ({ kind: 'bar', contractId, timeframe, bar }));

describe('alerter horizon', () => {
  it('keeps evaluating the contracts that move while one watched contract is quiet, then evaluates its late bars', async () => {
    await truncate();
    const rulesYaml = `- { name: cross, rule_type: price_cross, level: 100, contracts: watchlist, timeframes: [1m] }\n`;
    const settings = alerterSettings({}, [], { contracts: [OTHER] });
    await ground.start(rulesRoot({ 'h.yaml': rulesYaml }), settings);
    // Closes alternate around the level: every bar after a contract's first is a cross.
    const closes = Array.from({ length: 15 }, (_, i) => (i % 2 === 0 ? 99 : 101));
    const mes = minuteBars(closes);
    const mnq = minuteBars(closes);
    for (let i = 0; i < 5; i++) {
      await writeBar(ground.pool, mes[i]!);
      await writeBar(ground.pool, mnq[i]!, undefined, OTHER);
    }
    // SIM.MNQ goes quiet after bar 4; SIM.MES trades on to bar 12.
    for (let i = 5; i < 13; i++) await writeBar(ground.pool, mes[i]!);
    // Evaluated through SIM.MES's bar 12 (closing at 13 min) although SIM.MNQ's next bar would close at 6 min.
    await eventually(async () => (await alerterWatermark()) >= T0 + 13 * MINUTE);
    const rules = parseRuleFile(parseYaml(rulesYaml), 'h.yaml');
    const watchlist = { watchlist: [CONTRACT, OTHER] };
    const whileQuiet = evaluateBatch(
      rules,
      [...events(CONTRACT, '1m', mes.slice(0, 13)), ...events(OTHER, '1m', mnq.slice(0, 5))],
      watchlist,
    );
    expect(whileQuiet.filter((a) => a.contractId === CONTRACT)).toHaveLength(12);
    await eventually(async () => (await storedKeys()).length === whileQuiet.length);
    expect(await storedKeys()).toEqual(whileQuiet.map((a) => a.key).sort());

    // SIM.MNQ trades again at bar 13: behind the watermark, evaluated again from there.
    await writeBar(ground.pool, mnq[13]!, undefined, OTHER);
    await writeBar(ground.pool, mnq[14]!, undefined, OTHER);
    await writeBar(ground.pool, mes[13]!);
    await writeBar(ground.pool, mes[14]!);
    const all = evaluateBatch(
      rules,
      [...events(CONTRACT, '1m', mes), ...events(OTHER, '1m', [...mnq.slice(0, 5), ...mnq.slice(13)])],
      watchlist,
    );
    await eventually(async () => (await storedKeys()).length === all.length);
    expect(await storedKeys()).toEqual(all.map((a) => a.key).sort());
    await ground.stop();
  });

  it('evaluates a rule on 1d bars, each known at its session close (UTC calendar: the next midnight)', async () => {
    await truncate();
    const rulesYaml = `
- { name: daily-cross, rule_type: price_cross, level: 100, contracts: [SIM.MES], timeframes: [1d] }
- { name: daily-volume, rule_type: volume_spike, multiple: 2, period: 3, contracts: [SIM.MES], timeframes: [1d] }
`;
    const settings = alerterSettings({}, [], { timeframes: ['1m', '1d'] });
    await ground.start(rulesRoot({ 'd.yaml': rulesYaml }), settings);
    // Daily bars carry their trade date (00:00 UTC); a spike on day 4, crosses on days 2, 3 and 5.
    const days = minuteBars([99, 99, 101, 99, 99, 101, 101], [100, 100, 100, 100, 400, 100, 100], T0, DAY);
    for (const bar of days) await writeBar(ground.pool, bar, { unit: 4, value: 1 });
    const closeTimeOf = (tf: string, t: number): number => (tf === '1d' ? t + DAY : fixedCloseTime(tf, t));
    const expected = evaluateBatch(parseRuleFile(parseYaml(rulesYaml), 'd.yaml'), events(CONTRACT, '1d', days), { closeTimeOf });
    expect(expected.map((a) => `${a.rule} ${(a.barTime - T0) / DAY}`)).toEqual([
      'daily-cross 2',
      'daily-cross 3',
      'daily-volume 4',
      'daily-cross 5',
    ]);
    // The last day's bar closes at day 7; the next one would close at day 8.
    await eventually(async () => (await alerterWatermark()) >= T0 + 7 * DAY);
    await eventually(async () => (await storedKeys()).length === expected.length);
    expect(await storedKeys()).toEqual(expected.map((a) => a.key).sort());
    const { rows } = await ground.pool.query<{ k: string; known: number; bar: number }>(
      `SELECT alert_key AS k, (extract(epoch FROM known_at) * 1000)::float8 AS known, (extract(epoch FROM bar_time) * 1000)::float8 AS bar FROM alerts`,
    );
    for (const r of rows) expect(r.known - r.bar).toBe(DAY);
    await ground.stop();
  });
});
