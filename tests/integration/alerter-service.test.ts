// The alerter service end to end on a real PostgreSQL: bars and signals stored → alerts rows (equal to a
// batch evaluation of the same rules over the stored data), one delivery per destination that takes the
// severity, alert_created NOTIFYs, webhook deliveries with verified signatures; a hanging destination and
// one answering garbage end dead-lettered without holding up the others.
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateBatch, parseRuleFile, type EngineEvent, type SignalEvent } from '../../core/src/index.ts';
import { parse as parseYaml } from 'yaml';
import { minuteBars, T0, MINUTE } from '../../core/src/alerts/test-events.ts';
import { addWebhook, alerterSettings, CONTRACT, rulesRoot, writeAnalyzerStep, writeBar } from '../support/alerter-fixture.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import { eventually } from '../support/eventually.ts';
import { useAlerter } from '../support/use-alerter.ts';

const RULES = `
- name: level-cross
  rule_type: price_cross
  contracts: [SIM.MES]
  timeframes: [1m]
  level: 100
  severity: warning
- name: ema-signal
  rule_type: signal
  contracts: [SIM.MES]
  timeframes: [1m]
  analyzer_id: ema_cross
  severity: critical
`;

const ground = useAlerter();
const { receiver } = ground;
let created: ChannelListener<'alertCreated'> | undefined;

afterAll(async () => {
  await created?.end();
});

describe('alerter service', () => {
  it('stores the alerts a batch evaluation gives, delivers each once per destination, dead-letters hanging and garbage destinations', async () => {
    const base = await receiver.start();
    receiver.setMode('/hang', { kind: 'hang' });
    receiver.setMode('/garbage', { kind: 'garbage' });
    const good = await addWebhook(ground.pool, 'good', `${base}/good`);
    await addWebhook(ground.pool, 'critical-only', `${base}/critical`, { minSeverity: 'critical', format: 'slack' });
    await addWebhook(ground.pool, 'hanging', `${base}/hang`);
    await addWebhook(ground.pool, 'garbage', `${base}/garbage`);
    created = await ChannelListener.listen(ground.db.url, 'alertCreated');

    const root = rulesRoot({ 'a.yaml': RULES });
    await ground.start(root, alerterSettings({}, [{ analyzer_id: 'ema_cross', timeframes: ['1m'] }]));

    // Level 100: the first bar records the side; then up, down, up, down, up.
    const bars = minuteBars([99, 101, 99, 101, 99, 101]);
    const signal: SignalEvent = {
      kind: 'signal',
      analyzerId: 'ema_cross',
      contractId: CONTRACT,
      timeframe: '1m',
      barTime: T0 + 2 * MINUTE,
      triggerTime: T0 + 3 * MINUTE,
      type: 'bullish_cross',
      price: 99,
      details: { fast: 98.5 },
    };
    for (const [i, bar] of bars.entries()) {
      await writeBar(ground.pool, bar);
      await writeAnalyzerStep(ground.pool, 'ema_cross', '1m', bar.time, i === 3 ? [signal] : []);
    }

    // The signal as stored: details carry its trigger time (what the alerter reads as the trigger bar).
    const stored = { ...signal, details: { ...signal.details, trigger_time: new Date(signal.triggerTime).toISOString() } };
    const events: EngineEvent[] = [...bars.map((bar) => ({ kind: 'bar' as const, contractId: CONTRACT, timeframe: '1m', bar })), stored];
    const expected = evaluateBatch(parseRuleFile(parseYaml(RULES), 'a.yaml'), events);
    expect(expected.map((a) => `${a.rule} ${a.setup} ${(a.barTime - T0) / MINUTE}`)).toEqual([
      'level-cross cross_up 1',
      'level-cross cross_down 2',
      'level-cross cross_up 3',
      'ema-signal bullish_cross 2',
      'level-cross cross_down 4',
      'level-cross cross_up 5',
    ]);

    await eventually(async () => (await ground.pool.query('SELECT 1 FROM alerts')).rowCount === expected.length);
    const { rows: alertRows } = await ground.pool.query<{ alert_key: string; severity: string; link: string }>(
      'SELECT alert_key, severity, link FROM alerts ORDER BY alert_id',
    );
    expect(alertRows.map((r) => r.alert_key)).toEqual(expected.map((a) => a.key));
    expect(alertRows[0]!.link).toBe(expected[0]!.trendsLink);
    const notified = await created.take(expected.length);
    expect(notified.map((m) => `${m.rule} ${m.setup_type}`)).toEqual(expected.map((a) => `${a.rule} ${a.setup}`));

    // Deliveries: good and the two failing destinations get all six; critical-only only the signal alert.
    const { rows: deliveries } = await ground.pool.query<{ name: string; n: number }>(
      `SELECT t.name, count(*)::int AS n FROM alert_deliveries d JOIN alert_destinations t USING (destination_id) GROUP BY t.name ORDER BY t.name`,
    );
    expect(deliveries).toEqual([
      { name: 'critical-only', n: 1 },
      { name: 'garbage', n: 6 },
      { name: 'good', n: 6 },
      { name: 'hanging', n: 6 },
    ]);

    await eventually(async () => {
      const { rows } = await ground.pool.query<{ open: number }>(
        `SELECT count(*)::int AS open FROM alert_deliveries WHERE status IN ('queued', 'retrying')`,
      );
      return rows[0]!.open === 0;
    });
    const { rows: states } = await ground.pool.query<{ name: string; status: string; attempts: number; n: number }>(
      `SELECT t.name, d.status, d.attempts, count(*)::int AS n FROM alert_deliveries d JOIN alert_destinations t USING (destination_id)
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
    expect(states).toEqual([
      { name: 'critical-only', status: 'delivered', attempts: 1, n: 1 },
      { name: 'garbage', status: 'dead', attempts: 3, n: 6 },
      { name: 'good', status: 'delivered', attempts: 1, n: 6 },
      { name: 'hanging', status: 'dead', attempts: 3, n: 6 },
    ]);
    const { rows: attempts } = await ground.pool.query<{ ok: boolean; error: string | null; n: number }>(
      `SELECT ok, count(*)::int AS n FROM alert_delivery_attempts GROUP BY ok ORDER BY ok`,
    );
    expect(attempts).toEqual([
      { ok: false, n: 36 },
      { ok: true, n: 7 },
    ]);
    const { rows: timeouts } = await ground.pool.query<{ error: string }>(
      `SELECT DISTINCT a.error FROM alert_delivery_attempts a JOIN alert_destinations t USING (destination_id) WHERE t.name = 'hanging'`,
    );
    expect(timeouts.map((r) => r.error)).toEqual([`POST ${base}/hang: timed out`]);

    // The receiver saw each good delivery's key once, signed, with the alert as the body.
    const { rows: keys } = await ground.pool.query<{ idempotency_key: string }>(
      'SELECT idempotency_key FROM alert_deliveries WHERE destination_id = $1 ORDER BY alert_id',
      [good],
    );
    expect(receiver.acceptedOn('/good').sort()).toEqual(keys.map((k) => k.idempotency_key).sort());
    expect(receiver.repeats).toEqual([]);
    expect(receiver.requests.every((r) => r.signatureOk)).toBe(true);
    const first = receiver.requests.find((r) => r.path === '/good' && (r.body as { rule?: string }).rule === 'ema-signal');
    expect(first?.body).toMatchObject({ rule: 'ema-signal', contract_id: CONTRACT, setup_type: 'bullish_cross', severity: 'critical' });
    const slack = receiver.requests.find((r) => r.path === '/critical');
    expect(slack?.body).toMatchObject({ text: expect.stringContaining('CRITICAL SIM.MES 1m bullish_cross') as unknown });
  });
});
