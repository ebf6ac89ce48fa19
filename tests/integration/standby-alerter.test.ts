// Two alerters on one database (issue #18, standbys): one evaluates the rules, the other stands by and
// takes the evaluation over from the stored watermark when the first stops; every alert is stored and
// delivered exactly once, equal to a batch evaluation of the same rules over the same data.
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { evaluateBatch, parseRuleFile, type EngineEvent } from '../../core/src/index.ts';
import { minuteBars } from '../../core/src/alerts/test-events.ts';
import type { AlerterService } from '../../alerter/src/alerter-service.ts';
import { addWebhook, alerterSettings, CONTRACT, rulesRoot, writeAnalyzerStep, writeBar } from '../support/alerter-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { useAlerter } from '../support/use-alerter.ts';

const RULES = `
- name: level-cross
  rule_type: price_cross
  contracts: [SIM.MES]
  timeframes: [1m]
  level: 100
  severity: warning
`;

const ground = useAlerter();
const { receiver } = ground;

const held = (a: AlerterService): string[] => (a.health().leases as { held: string[] } | undefined)?.held ?? [];

describe('two alerters', () => {
  it('one evaluates, the standby takes over; each alert stored and delivered once', async () => {
    const base = await receiver.start();
    await addWebhook(ground.pool, 'good', `${base}/good`);
    const root = rulesRoot({ 'a.yaml': RULES });
    const settings = alerterSettings({}, [{ analyzer_id: 'ema_cross', timeframes: ['1m'] }]);
    const first = await ground.start(root, settings);
    const second = await ground.start(root, settings, false);
    expect(held(first)).toEqual(['evaluation']);
    expect(held(second)).toEqual([]);

    const bars = minuteBars([99, 101, 99, 101, 99, 101, 99, 101]);
    const events: EngineEvent[] = bars.map((bar) => ({ kind: 'bar' as const, contractId: CONTRACT, timeframe: '1m', bar }));
    const expected = evaluateBatch(parseRuleFile(parseYaml(RULES), 'a.yaml'), events);
    expect(expected.length).toBe(7);
    const storedAlerts = async (): Promise<number> => (await ground.pool.query('SELECT 1 FROM alerts')).rowCount ?? 0;

    for (const [i, bar] of bars.slice(0, 4).entries()) {
      await writeBar(ground.pool, bar);
      await writeAnalyzerStep(ground.pool, 'ema_cross', '1m', bar.time, []);
      if (i === 3) await eventually(async () => (await storedAlerts()) >= 3);
    }
    await first.stop();
    await eventually(() => held(second).includes('evaluation'));
    for (const bar of bars.slice(4)) {
      await writeBar(ground.pool, bar);
      await writeAnalyzerStep(ground.pool, 'ema_cross', '1m', bar.time, []);
    }
    await eventually(async () => (await storedAlerts()) >= expected.length);
    const { rows } = await ground.pool.query<{ alert_key: string }>('SELECT alert_key FROM alerts ORDER BY alert_id');
    expect(rows.map((r) => r.alert_key)).toEqual(expected.map((a) => a.key));
    await eventually(() => receiver.acceptedOn('/good').length >= expected.length);
    expect(receiver.acceptedOn('/good')).toHaveLength(expected.length);
    expect(receiver.repeats).toEqual([]);
  });
});
