// Rules reach the alerter from config/rules (a bad file reported and skipped, nothing of it stored, the
// service running on the valid ones) and from the rules table (an API rule, picked up on rules_changed).
import { eventId } from '../../alerter/src/fed-events.ts';
import { describe, expect, it } from 'vitest';
import { channels } from '../../core/src/index.ts';
import { createPool } from '../../core/src/node/db-pool.ts';
import type { AlerterService } from '../../alerter/src/alerter-service.ts';
import { readRuleFiles } from '../../alerter/src/rule-sync.ts';
import { referencesOf } from '../../core/src/index.ts';
import { join } from 'node:path';
import { quietLogger } from '../support/quiet-logger.ts';
import { minuteBars, T0, MINUTE } from '../../core/src/alerts/test-events.ts';
import { alerterSettings, rulesRoot, startAlerter, writeBar } from '../support/alerter-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { createTestDatabase } from '../support/test-database.ts';
import { useAlerter } from '../support/use-alerter.ts';

const ground = useAlerter();

const GOOD = `
- name: level-cross
  rule_type: price_cross
  contracts: [SIM.MES]
  timeframes: [1m]
  level: 100
`;

describe('alerter rules', () => {
  it('skips a file that is not YAML or not valid rules (stores none of its rules), runs the valid ones and API rules', async () => {
    const root = rulesRoot({
      'a-syntax.yaml': '- name: broken\n  rule_type: [unclosed\n',
      'b-schema.yaml': `${GOOD.replace('level-cross', 'other-cross')}\n- name: typo\n  rule_type: signl\n  contracts: [SIM.MES]\n  timeframes: [1m]\n`,
      'c-good.yaml': GOOD,
    });
    const settings = alerterSettings();
    const files = readRuleFiles(join(root, 'config', 'rules'), 'config/rules', referencesOf(settings), quietLogger('rules'));
    expect(files.rules.map((r) => r.rule.name)).toEqual(['level-cross']);
    expect(files.problems).toEqual([
      expect.stringMatching(/^config\/rules\/a-syntax\.yaml: \(file\): not valid YAML: /) as unknown,
      expect.stringContaining('config/rules/b-schema.yaml: rule "typo" (rules[1]): rule_type: ') as unknown,
    ]);
    const alerter = await ground.start(root, settings);
    expect(alerter.health()).toMatchObject({ ok: true });
    const { rows } = await ground.pool.query<{ name: string; source: string }>('SELECT name, source FROM rules ORDER BY name');
    expect(rows).toEqual([{ name: 'level-cross', source: 'file' }]);

    // An API rule (as the web stores it), then rules_changed: the alerter reloads and evaluates it too.
    await ground.pool.query(`INSERT INTO rules (name, rule_type, config_yaml, source) VALUES ('api-spike', 'volume_spike', $1, 'api')`, [
      'name: api-spike\nrule_type: volume_spike\ncontracts: watchlist\ntimeframes: [1m]\nmultiple: 2\nperiod: 3\n',
    ]);
    // A row the API would have refused (hand-edited): reported and skipped, never stops the others.
    await ground.pool.query(
      `INSERT INTO rules (name, rule_type, config_yaml, source) VALUES ('bad-row', 'indicator', 'name: bad-row\nrule_type: indicator\n', 'api')`,
    );
    await ground.pool.query('SELECT pg_notify($1, $2)', [
      channels.rulesChanged.name,
      JSON.stringify({ type: 'rules_changed', rule_id: null, action: 'created' }),
    ]);

    await eventually(() => alerter.evaluator.ruleNames.includes('api-spike'));
    expect([...alerter.evaluator.ruleNames].sort()).toEqual(['api-spike', 'level-cross']);
    // Closes 99/101 alternate around the level; volume 1000 on bar 4 is > 2 × the mean of the 3 before.
    for (const bar of minuteBars([99, 101, 99, 101, 99], [100, 100, 100, 100, 1000])) await writeBar(ground.pool, bar);
    await eventually(async () => (await ground.pool.query('SELECT 1 FROM alerts')).rowCount === 5);
    const { rows: alerts } = await ground.pool.query<{ rule_name: string; setup_type: string; bar: number }>(
      `SELECT rule_name, setup_type, ((extract(epoch FROM bar_time) * 1000 - $1) / $2)::int AS bar FROM alerts ORDER BY alert_id`,
      [T0, MINUTE],
    );
    expect(alerts).toEqual([
      { rule_name: 'level-cross', setup_type: 'cross_up', bar: 1 },
      { rule_name: 'level-cross', setup_type: 'cross_down', bar: 2 },
      { rule_name: 'level-cross', setup_type: 'cross_up', bar: 3 },
      // One bar's alerts in the engine's order: priority, then name.
      { rule_name: 'api-spike', setup_type: 'volume_spike', bar: 4 },
      { rule_name: 'level-cross', setup_type: 'cross_down', bar: 4 },
    ]);
    expect(alerter.health()).toMatchObject({ ok: true });
  });

  it('on its first start alerts on nothing stored (or backfilled) before that moment: history only warms it up', async () => {
    const history = await createTestDatabase();
    const historyPool = createPool(history.url);
    let first: AlerterService | undefined;
    try {
      const bars = minuteBars([99, 101, 99, 101, 99, 101]);
      for (const bar of bars.slice(0, 3)) await writeBar(historyPool, bar);
      first = await startAlerter(history.url, rulesRoot({ 'c-good.yaml': GOOD }), alerterSettings(), false);
      // Backfilled after the start, but bars of 2025: behind the first start, evaluated without alerts.
      for (const bar of bars.slice(3)) await writeBar(historyPool, bar);
      // Every bar was taken by the engine (the late ones evaluated again from their instant)…
      await eventually(() =>
        bars.every((bar) => first!.evaluator.hasFed(eventId({ kind: 'bar', contractId: 'SIM.MES', timeframe: '1m', bar }))),
      );
      await first.evaluator.idle();
      const { rows } = await historyPool.query<{ timeframe: string }>(
        `SELECT timeframe FROM analyzer_watermarks WHERE analyzer_id = 'alerter' ORDER BY timeframe`,
      );
      expect(rows.map((r) => r.timeframe)).toEqual(['*', 'alerts_from']);
      // …and raised no alert: five crosses, all known before the first start.
      expect((await historyPool.query('SELECT 1 FROM alerts')).rowCount).toBe(0);
    } finally {
      await first?.stop();
      await historyPool.end();
      await history.drop();
    }
  });
});
