// The alerts, rules, watchlist and destinations API on a real PostgreSQL: the queries the route handlers
// run (through Prisma, as the routes do) with their query and body schemas. Every write: good input
// stored and NOTIFYd in its transaction; bad input a ValidationError naming the field, nothing stored and
// nothing NOTIFYd (checked by order: the next good write's NOTIFY is the first to arrive).
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../core/src/errors.ts';
import { createPrismaClient, type PrismaClient } from '../../prisma/prisma-client.ts';
import { bodyValidationError } from '../../web/lib/api/body-issue.ts';
import { alertReadBodySchema, alertsReadBodySchema } from '../../web/lib/api/alert-schemas.ts';
import { destinationBodySchema } from '../../web/lib/api/destination-schemas.ts';
import { parseQuery } from '../../web/lib/api/parse-query.ts';
import { ruleBodySchema, ruleToggleBodySchema } from '../../web/lib/api/rule-api-schemas.ts';
import { apiRoutes } from '../../web/lib/api/routes.ts';
import { watchlistAddBodySchema, watchlistUpdateBodySchema } from '../../web/lib/api/watchlist-schemas.ts';
import { alertDetail, alertStats, listAlerts, setAlertRead, setAlertsRead } from '../../web/lib/queries/alerts.ts';
import { createDestination, deleteDestination, listDestinations, replaceDestination } from '../../web/lib/queries/destinations.ts';
import { createRule, deleteRule, listRules, replaceRule, toggleRule } from '../../web/lib/queries/rules.ts';
import { addToWatchlist, listWatchlist, removeFromWatchlist, updateWatchlistEntry } from '../../web/lib/queries/watchlist.ts';
import { insertAlert, insertDelivery, insertDestination } from '../support/alert-rows.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const REFS = { contracts: ['SIM.MES', 'SIM.MNQ'], timeframes: ['1m', '5m', '1h'], analyzerIds: ['cus_cds_trend_finder'] };
const SPIKE_YAML = '# spikes\nrule_type: volume_spike\ncontracts: [SIM.MES]\ntimeframes: [5m]\nmultiple: 3\n';
const T0 = Date.UTC(2025, 2, 17, 14, 0);
const at = (minutes: number): Date => new Date(T0 + minutes * 60_000);

let database: TestDatabase;
let prisma: PrismaClient;
let client: pg.Client;

/** The body a handler would get, or the ValidationError readJsonBody throws. */
function body<S extends z.ZodType>(schema: S, json: unknown): z.output<S> {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  throw bodyValidationError(result.error);
}

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.field;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

async function rejectedField(work: Promise<unknown>): Promise<string> {
  const err: unknown = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${String(err)}`);
  return err.field;
}

const count = async (table: string): Promise<number> =>
  Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient(database.url, { max: 3 });
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(
    `INSERT INTO contracts (id, provider, symbol) VALUES ('SIM.MES', 'simulated', 'MES'), ('SIM.MNQ', 'simulated', 'MNQ')`,
  );
});

afterAll(async () => {
  await client?.end();
  await prisma?.$disconnect();
  await database?.drop();
});

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
    for (const r of rows) ids.push((await insertAlert(client, r)).id);
    hook = await insertDestination(client, 'desk-hook');
    await insertDelivery(client, ids[0]!, hook, [false, true]);
    await insertDelivery(client, ids[1]!, hook, [false]);
  });

  const list = (q: string) => listAlerts(prisma, parseQuery(apiRoutes.alerts.query, new URLSearchParams(q)));

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
    const { alert } = await alertDetail(prisma, BigInt(ids[0]!));
    expect(alert.deliveries).toHaveLength(1);
    expect(alert.deliveries[0]?.attempt_history.map((a) => [a.attempt, a.ok, a.status_code])).toEqual([
      [1, false, 500],
      [2, true, 200],
    ]);
    await expect(alertDetail(prisma, 999_999n)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('counts by rule, contract and UTC day, with unread counts, under the filter', async () => {
    const stats = await alertStats(prisma, parseQuery(apiRoutes.alertStats.query, new URLSearchParams('')));
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
    const mnq = await alertStats(prisma, parseQuery(apiRoutes.alertStats.query, new URLSearchParams('contract_id=SIM.MNQ')));
    expect(mnq.total).toBe(2);
    expect(fieldOf(() => parseQuery(apiRoutes.alertStats.query, new URLSearchParams('severity=loud')))).toBe('severity');
  });

  it('marks one alert and every alert of a filter; bad bodies name the field and change nothing', async () => {
    expect((await setAlertRead(prisma, BigInt(ids[0]!), true)).is_read).toBe(true);
    expect((await setAlertRead(prisma, BigInt(ids[0]!), false)).is_read).toBe(false);
    await expect(setAlertRead(prisma, 999_999n, true)).rejects.toBeInstanceOf(NotFoundError);
    expect(fieldOf(() => body(alertReadBodySchema, { is_read: 'yes' }))).toBe('is_read');
    expect(fieldOf(() => body(alertReadBodySchema, {}))).toBe('is_read');
    expect(fieldOf(() => body(alertsReadBodySchema, { is_read: true, severity: 'loud' }))).toBe('severity');
    expect(fieldOf(() => body(alertsReadBodySchema, { is_read: true, from: '2025-03-18', to: '2025-03-17' }))).toBe('from');
    expect(fieldOf(() => body(alertsReadBodySchema, { is_read: true, color: 'red' }))).toBe('color');
    expect(await count('alerts WHERE is_read')).toBe(1);

    const mes = body(alertsReadBodySchema, { is_read: true, contract_id: 'SIM.MES' });
    expect(await setAlertsRead(prisma, mes.filter, mes.isRead)).toEqual({ updated: 3 });
    expect(await setAlertsRead(prisma, mes.filter, mes.isRead)).toEqual({ updated: 0 });
    const all = body(alertsReadBodySchema, { is_read: true });
    expect(await setAlertsRead(prisma, all.filter, all.isRead)).toEqual({ updated: 2 });
    expect(await count('alerts WHERE NOT is_read')).toBe(0);
  });
});

describe('/api/rules', () => {
  let listener: ChannelListener<'rulesChanged'>;
  beforeAll(async () => {
    listener = await ChannelListener.listen(database.url, 'rulesChanged');
  });
  afterAll(() => listener.end());
  beforeEach(() => listener.clear());

  const good = (over: Record<string, unknown> = {}) =>
    body(ruleBodySchema, { name: 'spikes', description: 'volume spikes', priority: 5, config_yaml: SPIKE_YAML, ...over });

  it('creates, replaces, toggles and deletes, each NOTIFYing rules_changed', async () => {
    const created = await createRule(prisma, good(), REFS);
    expect(created).toMatchObject({ name: 'spikes', rule_type: 'volume_spike', source: 'api', is_active: true, priority: 5 });
    expect(created.config_yaml).toContain('# spikes');
    expect(created.config_yaml).toContain('name: spikes');
    expect(await listener.take(1, 0)).toEqual([{ type: 'rules_changed', rule_id: created.rule_id, action: 'created' }]);

    const rsi =
      'rule_type: indicator\ncontracts: [SIM.MNQ]\ntimeframes: [1m]\ncondition: { compare: { left: rsi_14, op: "<", right: 30 } }\n';
    const replaced = await replaceRule(prisma, BigInt(created.rule_id), good({ name: 'rsi-low', config_yaml: rsi }), REFS);
    expect(replaced).toMatchObject({ rule_id: created.rule_id, name: 'rsi-low', rule_type: 'indicator' });
    expect(await listener.take(1, 0)).toEqual([{ type: 'rules_changed', rule_id: created.rule_id, action: 'updated' }]);

    // A bad replacement names the key and leaves the stored rule as it was, un-NOTIFYd.
    const before = (await client.query('SELECT * FROM rules WHERE rule_id = $1', [created.rule_id])).rows;
    const badYaml = good({ name: 'rsi-low', config_yaml: rsi.replace('rsi_14', 'rsi_x') });
    expect(await rejectedField(replaceRule(prisma, BigInt(created.rule_id), badYaml, REFS))).toBe('config_yaml.condition.compare.left');
    expect((await client.query('SELECT * FROM rules WHERE rule_id = $1', [created.rule_id])).rows).toEqual(before);

    const off = await toggleRule(prisma, BigInt(created.rule_id), false);
    expect(off.is_active).toBe(false);
    expect(off.config_yaml).toMatch(/^is_active: false$/m);
    expect(await listener.take(1, 0)).toEqual([{ type: 'rules_changed', rule_id: created.rule_id, action: 'updated' }]);

    expect((await deleteRule(prisma, BigInt(created.rule_id))).deleted.name).toBe('rsi-low');
    expect(await listener.take(1, 0)).toEqual([{ type: 'rules_changed', rule_id: created.rule_id, action: 'deleted' }]);
    expect((await listRules(prisma)).rules).toEqual([]);
  });

  it.each([
    [{ config_yaml: SPIKE_YAML.replace('multiple: 3', 'multiple: -3') }, 'config_yaml.multiple'],
    [{ config_yaml: 'rule_type: volume_spik\n' }, 'config_yaml.rule_type'],
    [{ config_yaml: SPIKE_YAML.replace('SIM.MES', 'SIM.MEZ') }, 'config_yaml.contracts[0]'],
    [{ config_yaml: 'a: [\n' }, 'config_yaml'],
    [{ name: 'Spikes!' }, 'name'],
  ])('%j → 400 naming %s, nothing stored or NOTIFYd', async (over, field) => {
    expect(await rejectedField(createRule(prisma, good(over), REFS))).toBe(field);
    expect(await count('rules')).toBe(0);
    const ok = await createRule(prisma, good({ name: 'after-bad' }), REFS);
    await deleteRule(prisma, BigInt(ok.rule_id));
    expect((await listener.take(2, 0)).map((m) => [m.rule_id, m.action])).toEqual([
      [ok.rule_id, 'created'],
      [ok.rule_id, 'deleted'],
    ]);
  });

  it.each([
    [{ name: 'x', priority: 'high', config_yaml: SPIKE_YAML }, 'priority'],
    [{ name: 'x', config_yaml: 42 }, 'config_yaml'],
    [{ name: 'x' }, 'config_yaml'],
    [{ config_yaml: SPIKE_YAML }, 'name'],
    [{ name: 'x', config_yaml: SPIKE_YAML, colour: 'red' }, 'colour'],
  ])('body %j → 400 naming %s', (json, field) => {
    expect(fieldOf(() => body(ruleBodySchema, json))).toBe(field);
  });

  it('refuses a duplicate name (409) and leaves rules from config/rules read-only (409)', async () => {
    const first = await createRule(prisma, good({ name: 'dupe' }), REFS);
    await expect(createRule(prisma, good({ name: 'dupe' }), REFS)).rejects.toBeInstanceOf(ConflictError);
    const { rows } = await client.query<{ rule_id: string }>(
      `INSERT INTO rules (name, rule_type, config_yaml, source) VALUES ('from-file', 'volume_spike', $1, 'file') RETURNING rule_id`,
      [SPIKE_YAML],
    );
    const fileId = BigInt(rows[0]!.rule_id);
    await expect(replaceRule(prisma, fileId, good({ name: 'from-file' }), REFS)).rejects.toThrow(/config\/rules and is read-only/);
    await expect(toggleRule(prisma, fileId, false)).rejects.toBeInstanceOf(ConflictError);
    await expect(deleteRule(prisma, fileId)).rejects.toBeInstanceOf(ConflictError);
    await expect(replaceRule(prisma, 999_999n, good(), REFS)).rejects.toBeInstanceOf(NotFoundError);
    expect((await client.query(`SELECT is_active, config_yaml FROM rules WHERE source = 'file'`)).rows).toEqual([
      { is_active: true, config_yaml: SPIKE_YAML },
    ]);
    expect(fieldOf(() => body(ruleToggleBodySchema, { is_active: 'off' }))).toBe('is_active');
    await deleteRule(prisma, BigInt(first.rule_id));
    await client.query(`DELETE FROM rules`);
  });
});

describe('/api/watchlist', () => {
  let listener: ChannelListener<'watchlistChanged'>;
  beforeAll(async () => {
    listener = await ChannelListener.listen(database.url, 'watchlistChanged');
  });
  afterAll(() => listener.end());

  it('adds, edits notes, switches off and removes, each NOTIFYing watchlist_changed', async () => {
    const added = await addToWatchlist(prisma, body(watchlistAddBodySchema, { contract_id: 'SIM.MES', notes: 'the main one' }));
    expect(added).toMatchObject({ contract_id: 'SIM.MES', notes: 'the main one', is_active: true });
    expect(await listener.take(1, 0)).toEqual([{ type: 'watchlist_changed', contract_id: 'SIM.MES', action: 'added' }]);
    expect((await updateWatchlistEntry(prisma, 'SIM.MES', body(watchlistUpdateBodySchema, { notes: 'n2' }))).notes).toBe('n2');
    expect(await listener.take(1, 0)).toEqual([{ type: 'watchlist_changed', contract_id: 'SIM.MES', action: 'updated' }]);
    expect((await updateWatchlistEntry(prisma, 'SIM.MES', body(watchlistUpdateBodySchema, { is_active: false }))).is_active).toBe(false);
    expect(await listener.take(1, 0)).toEqual([{ type: 'watchlist_changed', contract_id: 'SIM.MES', action: 'removed' }]);
    expect((await removeFromWatchlist(prisma, 'SIM.MES')).deleted.contract_id).toBe('SIM.MES');
    expect(await listener.take(1, 0)).toEqual([{ type: 'watchlist_changed', contract_id: 'SIM.MES', action: 'removed' }]);
    expect((await listWatchlist(prisma)).entries).toEqual([]);
  });

  it('refuses an unknown contract (404, listing the stored ones) and a duplicate (409); nothing stored or NOTIFYd', async () => {
    const unknown = await addToWatchlist(prisma, body(watchlistAddBodySchema, { contract_id: 'SIM.NOPE' })).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect((unknown as NotFoundError).available).toEqual(['SIM.MES', 'SIM.MNQ']);
    expect(await count('watchlist')).toBe(0);
    await addToWatchlist(prisma, body(watchlistAddBodySchema, { contract_id: 'SIM.MNQ' }));
    await expect(addToWatchlist(prisma, body(watchlistAddBodySchema, { contract_id: 'SIM.MNQ' }))).rejects.toBeInstanceOf(ConflictError);
    await expect(removeFromWatchlist(prisma, 'SIM.MES')).rejects.toBeInstanceOf(NotFoundError);
    await removeFromWatchlist(prisma, 'SIM.MNQ');
    // Only the good writes' NOTIFYs, in order.
    expect((await listener.take(2, 0)).map((m) => m.action)).toEqual(['added', 'removed']);
  });

  it.each([
    [watchlistAddBodySchema, { contract_id: 'bad id!' }, 'contract_id'],
    [watchlistAddBodySchema, {}, 'contract_id'],
    [watchlistAddBodySchema, { contract_id: 'SIM.MES', notes: 7 }, 'notes'],
    [watchlistUpdateBodySchema, {}, 'body'],
    [watchlistUpdateBodySchema, { is_active: 'yes' }, 'is_active'],
  ] as const)('body %#: %j → 400 naming %s', (schema, json, field) => {
    expect(fieldOf(() => body(schema as z.ZodType, json))).toBe(field);
  });
});

describe('/api/destinations', () => {
  const webhook = { name: 'ops-hook', kind: 'webhook', config: { url: 'https://hooks.example.com/a' }, secret: 'TOP-SECRET-1' };

  it('stores the secret but never answers it: has_secret instead', async () => {
    const created = await createDestination(prisma, body(destinationBodySchema, webhook));
    expect(created).toMatchObject({
      name: 'ops-hook',
      kind: 'webhook',
      config: { url: 'https://hooks.example.com/a', format: 'plain' },
      has_secret: true,
    });
    expect(JSON.stringify(created)).not.toContain('TOP-SECRET');
    expect(JSON.stringify(await listDestinations(prisma))).not.toContain('TOP-SECRET');
    expect((await client.query(`SELECT secret FROM alert_destinations WHERE name = 'ops-hook'`)).rows).toEqual([
      { secret: 'TOP-SECRET-1' },
    ]);

    // Replace without a secret keeps it; null removes it (e-mail may go without a password).
    const id = BigInt(created.destination_id);
    const { secret: _kept, ...withoutSecret } = webhook;
    expect(
      (await replaceDestination(prisma, id, body(destinationBodySchema, { ...withoutSecret, min_severity: 'warning' }))).has_secret,
    ).toBe(true);
    const email = {
      name: 'ops-mail',
      kind: 'email',
      config: { to: ['a@example.com'], from: 'bs@example.com', host: 'smtp.example.com' },
      secret: null,
    };
    const mailed = await replaceDestination(prisma, id, body(destinationBodySchema, email));
    expect(mailed).toMatchObject({ kind: 'email', has_secret: false, config: { port: 587, secure: false } });
    expect((await deleteDestination(prisma, id)).deleted.name).toBe('ops-mail');
    await expect(deleteDestination(prisma, id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a webhook or Telegram destination without its secret, and a duplicate name; nothing stored', async () => {
    const before = await count('alert_destinations');
    expect(await rejectedField(createDestination(prisma, body(destinationBodySchema, { ...webhook, secret: undefined })))).toBe('secret');
    expect(
      await rejectedField(
        createDestination(prisma, body(destinationBodySchema, { name: 'tg', kind: 'telegram', config: { chat_id: 42 } })),
      ),
    ).toBe('secret');
    await createDestination(prisma, body(destinationBodySchema, webhook));
    await expect(createDestination(prisma, body(destinationBodySchema, webhook))).rejects.toBeInstanceOf(ConflictError);
    expect(await count('alert_destinations')).toBe(before + 1);
  });

  it.each([
    [{ ...webhook, kind: 'sms' }, 'kind'],
    [{ ...webhook, config: { url: 'ftp://x' } }, 'config.url'],
    [{ ...webhook, config: { url: 'https://x', format: 'teams' } }, 'config.format'],
    [{ ...webhook, config: { url: 'https://x', token: 'y' } }, 'config.token'],
    [{ name: 'm', kind: 'email', config: { to: 'not-mail', from: 'a@b.co', host: 'h' } }, 'config.to'],
    [{ name: 'm', kind: 'email', config: { to: 'a@b.co', from: 'a@b.co', host: 'h', port: 70000 } }, 'config.port'],
    [{ ...webhook, name: '' }, 'name'],
    [{ ...webhook, min_severity: 'loud' }, 'min_severity'],
  ])('body %j → 400 naming %s', (json, field) => {
    expect(fieldOf(() => body(destinationBodySchema, json))).toBe(field);
  });
});
