// Delivery through the queue: a receiver failing half the requests gets every alert in the end (each
// key accepted once); a destination that refuses (400) and one always down (503) end dead-lettered;
// an alerter restarted while bars kept coming loses no alert and stores none twice.
import { describe, expect, it } from 'vitest';
import { evaluateBatch, parseRuleFile, type EngineEvent } from '../../core/src/index.ts';
import { minuteBars } from '../../core/src/alerts/test-events.ts';
import { parse as parseYaml } from 'yaml';
import { addWebhook, alerterSettings, CONTRACT, rulesRoot, writeBar } from '../support/alerter-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { useAlerter } from '../support/use-alerter.ts';

const RULES = `
- name: level-cross
  rule_type: price_cross
  contracts: [SIM.MES]
  timeframes: [1m]
  level: 100
`;

const ground = useAlerter({ receiverSeed: 3 });
const { receiver } = ground;

async function statuses(): Promise<{ name: string; status: string; attempts: number; n: number }[]> {
  const { rows } = await ground.pool.query<{ name: string; status: string; attempts: number; n: number }>(
    `SELECT t.name, d.status, d.attempts, count(*)::int AS n FROM alert_deliveries d JOIN alert_destinations t USING (destination_id)
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  );
  return rows;
}

describe('alerter delivery', () => {
  it('retries a 50%-failing receiver until every alert is in, dead-letters refused and dead destinations, loses nothing across a restart', async () => {
    const base = await receiver.start();
    receiver.setMode('/flaky', { kind: 'flaky', failShare: 0.5 });
    receiver.setMode('/refuses', { kind: 'status', status: 400 });
    receiver.setMode('/down', { kind: 'status', status: 503 });
    const flaky = await addWebhook(ground.pool, 'flaky', `${base}/flaky`);
    await addWebhook(ground.pool, 'refuses', `${base}/refuses`);
    await addWebhook(ground.pool, 'down', `${base}/down`);
    const settings = alerterSettings({ max_attempts: 30, backoff_ms: 1, backoff_max_ms: 4 });
    const root = rulesRoot({ 'a.yaml': RULES });

    // Closes alternate around the level: every bar after the first is a cross (19 alerts).
    const bars = minuteBars(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 99 : 101)));
    await ground.start(root, settings);
    for (const bar of bars.slice(0, 7)) await writeBar(ground.pool, bar);
    await eventually(async () => (await ground.pool.query('SELECT 1 FROM alerts')).rowCount === 6);
    await ground.stop();
    // Down: these bars are stored while nobody evaluates them.
    for (const bar of bars.slice(7, 13)) await writeBar(ground.pool, bar);
    await ground.start(root, settings);
    for (const bar of bars.slice(13)) await writeBar(ground.pool, bar);

    const events: EngineEvent[] = bars.map((bar) => ({ kind: 'bar', contractId: CONTRACT, timeframe: '1m', bar }));
    const expected = evaluateBatch(parseRuleFile(parseYaml(RULES), 'a.yaml'), events);
    expect(expected).toHaveLength(19);
    await eventually(async () => (await ground.pool.query('SELECT 1 FROM alerts')).rowCount === expected.length);
    const { rows } = await ground.pool.query<{ alert_key: string }>('SELECT alert_key FROM alerts ORDER BY alert_id');
    expect(rows.map((r) => r.alert_key)).toEqual(expected.map((a) => a.key));

    await eventually(async () => (await statuses()).every((s) => s.status === 'delivered' || s.status === 'dead'));
    const final = await statuses();
    expect(final.filter((s) => s.name !== 'flaky')).toEqual([
      { name: 'down', status: 'dead', attempts: 30, n: 19 },
      { name: 'refuses', status: 'dead', attempts: 1, n: 19 },
    ]);
    expect(final.filter((s) => s.name === 'flaky').every((s) => s.status === 'delivered')).toBe(true);
    expect(final.filter((s) => s.name === 'flaky').reduce((n, s) => n + s.n, 0)).toBe(19);

    // Every flaky delivery's key accepted exactly once (30 attempts: 19 × 2⁻³⁰ odds that one never got through).
    const { rows: keys } = await ground.pool.query<{ idempotency_key: string }>(
      'SELECT idempotency_key FROM alert_deliveries WHERE destination_id = $1',
      [flaky],
    );
    expect([...receiver.accepted].filter((k) => keys.some((r) => r.idempotency_key === k)).sort()).toEqual(
      keys.map((k) => k.idempotency_key).sort(),
    );
    expect(receiver.repeats).toEqual([]);
    const failed = receiver.requests.filter((r) => r.path === '/flaky' && r.answered !== 200).length;
    expect(failed).toBeGreaterThan(0);
    const { rows: attempts } = await ground.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM alert_delivery_attempts WHERE destination_id = $1 AND NOT ok',
      [flaky],
    );
    expect(attempts[0]!.n).toBe(failed);
  });
});
