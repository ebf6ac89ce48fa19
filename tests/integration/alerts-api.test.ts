// The alerts API on a real PostgreSQL: the queries the route handlers run (through Prisma, as the
// routes do) with their query and body schemas: lists, pages, detail, stats, read marks; bad bodies
// a ValidationError naming the field, nothing changed. Rules, watchlist and destinations: their own
// *-api.test.ts files.
import { beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../core/src/errors.ts';
import { alertReadBodySchema, alertsReadBodySchema } from '../../web/lib/api/alert-schemas.ts';
import { parseQuery } from '../../web/lib/api/parse-query.ts';
import { apiRoutes } from '../../web/lib/api/routes.ts';
import { alertDetail, alertStats, listAlerts, setAlertRead, setAlertsRead } from '../../web/lib/queries/alerts.ts';
import { insertAlert, insertDelivery, insertDestination } from '../support/alert-rows.ts';
import { body, fieldOf, useApiDatabase } from '../support/api-database.ts';

const T0 = Date.UTC(2025, 2, 17, 14, 0);
const at = (minutes: number): Date => new Date(T0 + minutes * 60_000);

const db = useApiDatabase();
const count = (table: string): Promise<number> => db.count(table);

describe('/api/alerts', () => {
  const ids: number[] = [];
  let hook: number;

  beforeAll(async () => {
    // 6 alerts: two rules, two contracts, severities, one read; created on two days.
    const rows = [
      { rule: 'trend-start', contractId: 'SIM.MES', barTime: at(0), createdAt: new Date('2025-03-17T14:05:00Z') },
      {
        rule: 'trend-start',
        contractId: 'SIM.MNQ',
        barTime: at(5),
        severity: 'warning' as const,
        createdAt: new Date('2025-03-17T14:10:00Z'),
      },
      { rule: 'rsi-oversold', contractId: 'SIM.MES', barTime: at(10), isRead: true, createdAt: new Date('2025-03-17T14:15:00Z') },
      { rule: 'rsi-oversold', contractId: 'SIM.MES', barTime: at(15), timeframe: '1m', createdAt: new Date('2025-03-18T09:00:00Z') },
      {
        rule: 'trend-start',
        contractId: 'SIM.MES',
        barTime: at(20),
        severity: 'critical' as const,
        createdAt: new Date('2025-03-18T09:05:00Z'),
      },
      { rule: 'trend-start', contractId: 'SIM.MNQ', barTime: at(25), entryPrice: null, createdAt: new Date('2025-03-18T09:10:00Z') },
    ];
    for (const r of rows) ids.push((await insertAlert(db.client, r)).id);
    hook = await insertDestination(db.client, 'desk-hook');
    await insertDelivery(db.client, ids[0]!, hook, [false, true]);
    await insertDelivery(db.client, ids[1]!, hook, [false]);
  });

  const list = (q: string) => listAlerts(db.prisma, parseQuery(apiRoutes.alerts.query, new URLSearchParams(q)));

  it('lists newest first with each delivery state, and filters by every field', async () => {
    const all = await list('');
    expect(all.alerts.map((a) => a.alert_id)).toEqual([...ids].reverse());
    expect(all.next_before_id).toBeNull();
    const first = all.alerts.find((a) => a.alert_id === ids[0]);
    expect(first).toMatchObject({
      rule: 'trend-start',
      contract_id: 'SIM.MES',
      entry_price: 5000.25,
      details: { close: 5000.25 },
      link: '/trends?contract=SIM.MES&tf=5m&at=1742220000',
      deliveries: [{ destination: 'desk-hook', kind: 'webhook', status: 'delivered', attempts: 2 }],
    });
    expect((await list('contract_id=SIM.MNQ')).alerts.map((a) => a.alert_id)).toEqual([ids[5], ids[1]]);
    expect((await list('rule=rsi-oversold')).alerts.map((a) => a.alert_id)).toEqual([ids[3], ids[2]]);
    expect((await list('severity=critical')).alerts.map((a) => a.alert_id)).toEqual([ids[4]]);
    expect((await list('is_read=true')).alerts.map((a) => a.alert_id)).toEqual([ids[2]]);
    expect((await list('timeframe=1m')).alerts.map((a) => a.alert_id)).toEqual([ids[3]]);
    expect((await list(`from=${at(5).toISOString()}&to=${at(15).getTime()}`)).alerts.map((a) => a.alert_id)).toEqual([
      ids[3],
      ids[2],
      ids[1],
    ]);
  });

  it('pages back with before_id until the last page', async () => {
    const page1 = await list('limit=4');
    expect(page1.alerts.map((a) => a.alert_id)).toEqual([ids[5], ids[4], ids[3], ids[2]]);
    expect(page1.next_before_id).toBe(ids[2]);
    const page2 = await list(`limit=4&before_id=${page1.next_before_id}`);
    expect(page2.alerts.map((a) => a.alert_id)).toEqual([ids[1], ids[0]]);
    expect(page2.next_before_id).toBeNull();
  });

  it.each([
    ['severity=urgent', 'severity'],
    ['is_read=maybe', 'is_read'],
    ['before_id=abc', 'before_id'],
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['contract_id=bad id', 'contract_id'],
    ['from=2025-03-18&to=2025-03-17', 'from'],
    ['from=yesterday', 'from'],
    ['colour=red', 'colour'],
  ])('%s → 400 naming %s', (q, field) => {
    expect(fieldOf(() => parseQuery(apiRoutes.alerts.query, new URLSearchParams(q)))).toBe(field);
  });

  it('answers one alert with every delivery attempt; an unknown id is not found', async () => {
    const { alert } = await alertDetail(db.prisma, BigInt(ids[0]!));
    expect(alert.deliveries).toHaveLength(1);
    expect(alert.deliveries[0]?.attempt_history.map((a) => [a.attempt, a.ok, a.status_code])).toEqual([
      [1, false, 500],
      [2, true, 200],
    ]);
    await expect(alertDetail(db.prisma, 999_999n)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('counts by rule, contract and UTC day, with unread counts, under the filter', async () => {
    const stats = await alertStats(db.prisma, parseQuery(apiRoutes.alertStats.query, new URLSearchParams('')));
    expect(stats).toMatchObject({ total: 6, unread: 5 });
    expect(stats.by_rule).toEqual([
      { rule: 'trend-start', count: 4, unread: 4 },
      { rule: 'rsi-oversold', count: 2, unread: 1 },
    ]);
    expect(stats.by_contract).toEqual([
      { contract_id: 'SIM.MES', count: 4, unread: 3 },
      { contract_id: 'SIM.MNQ', count: 2, unread: 2 },
    ]);
    expect(stats.by_day).toEqual([
      { day: '2025-03-17', count: 3, unread: 2 },
      { day: '2025-03-18', count: 3, unread: 3 },
    ]);
    const mnq = await alertStats(db.prisma, parseQuery(apiRoutes.alertStats.query, new URLSearchParams('contract_id=SIM.MNQ')));
    expect(mnq.total).toBe(2);
    expect(fieldOf(() => parseQuery(apiRoutes.alertStats.query, new URLSearchParams('severity=loud')))).toBe('severity');
  });

  it('marks one alert and every alert of a filter; bad bodies name the field and change nothing', async () => {
    expect((await setAlertRead(db.prisma, BigInt(ids[0]!), true)).is_read).toBe(true);
    expect((await setAlertRead(db.prisma, BigInt(ids[0]!), false)).is_read).toBe(false);
    await expect(setAlertRead(db.prisma, 999_999n, true)).rejects.toBeInstanceOf(NotFoundError);
    expect(fieldOf(() => body(alertReadBodySchema, { is_read: 'yes' }))).toBe('is_read');
    expect(fieldOf(() => body(alertReadBodySchema, {}))).toBe('is_read');
    expect(fieldOf(() => body(alertsReadBodySchema, { is_read: true, severity: 'loud' }))).toBe('severity');
    expect(fieldOf(() => body(alertsReadBodySchema, { is_read: true, from: '2025-03-18', to: '2025-03-17' }))).toBe('from');
    expect(fieldOf(() => body(alertsReadBodySchema, { is_read: true, color: 'red' }))).toBe('color');
    expect(await count('alerts WHERE is_read')).toBe(1);

    const mes = body(alertsReadBodySchema, { is_read: true, contract_id: 'SIM.MES' });
    expect(await setAlertsRead(db.prisma, mes.filter, mes.isRead)).toEqual({ updated: 3 });
    expect(await setAlertsRead(db.prisma, mes.filter, mes.isRead)).toEqual({ updated: 0 });
    const all = body(alertsReadBodySchema, { is_read: true });
    expect(await setAlertsRead(db.prisma, all.filter, all.isRead)).toEqual({ updated: 2 });
    expect(await count('alerts WHERE NOT is_read')).toBe(0);
  });
});

describe('/api/alerts: a retracted alert', () => {
  it('answers retracted_at and the retraction per destination, apart from the alert’s own deliveries', async () => {
    const { id } = await insertAlert(db.client, { rule: 'trend-start', contractId: 'SIM.M2K', barTime: at(40) });
    const hook = await insertDestination(db.client, 'retraction-hook');
    await insertDelivery(db.client, id, hook, [true]);
    await db.client.query(
      `INSERT INTO alert_deliveries (alert_id, destination_id, kind, idempotency_key, status, attempts) VALUES ($1, $2, 'retraction', 'r1', 'delivered', 1)`,
      [id, hook],
    );
    await db.client.query(`UPDATE alerts SET retracted_at = '2025-03-17T15:00:00Z' WHERE alert_id = $1`, [id]);
    const listed = (await listAlerts(db.prisma, parseQuery(apiRoutes.alerts.query, new URLSearchParams('contract_id=SIM.M2K')))).alerts;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      retracted_at: '2025-03-17T15:00:00.000Z',
      deliveries: [{ destination: 'retraction-hook', status: 'delivered', attempts: 1 }],
      retractions: [{ destination: 'retraction-hook', status: 'delivered', attempts: 1 }],
    });
    const { alert } = await alertDetail(db.prisma, BigInt(id));
    expect(alert.deliveries.map((d) => d.attempt_history.length)).toEqual([1]);
    expect(alert.retractions).toHaveLength(1);
  });
});
