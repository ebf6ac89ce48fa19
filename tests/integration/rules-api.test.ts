// The rules API on a real PostgreSQL (Prisma, as the route handlers run it): every write stored and
// rules_changed NOTIFYd in its transaction; bad input a ValidationError naming the field (or 409),
// nothing stored and nothing NOTIFYd (checked by order: the next good write's NOTIFY is the first).
import { beforeAll, afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../core/src/errors.ts';
import { ruleBodySchema, ruleToggleBodySchema } from '../../web/lib/api/rule-api-schemas.ts';
import { createRule, deleteRule, listRules, replaceRule, toggleRule } from '../../web/lib/queries/rules.ts';
import { body, fieldOf, REFS, rejectedField, useApiDatabase } from '../support/api-database.ts';
import { ChannelListener } from '../support/channel-listener.ts';

const SPIKE_YAML = '# spikes\nrule_type: volume_spike\ncontracts: [SIM.MES]\ntimeframes: [5m]\nmultiple: 3\n';

const db = useApiDatabase();
const count = (table: string): Promise<number> => db.count(table);

describe('/api/rules', () => {
  let listener: ChannelListener<'rulesChanged'>;
  beforeAll(async () => {
    listener = await ChannelListener.listen(db.database.url, 'rulesChanged');
  });
  afterAll(() => listener.end());
  beforeEach(() => listener.clear());

  const good = (over: Record<string, unknown> = {}) =>
    body(ruleBodySchema, { name: 'spikes', description: 'volume spikes', priority: 5, config_yaml: SPIKE_YAML, ...over });

  it('creates, replaces, toggles and deletes, each NOTIFYing rules_changed', async () => {
    const created = await createRule(db.prisma, good(), REFS);
    expect(created).toMatchObject({ name: 'spikes', rule_type: 'volume_spike', source: 'api', is_active: true, priority: 5 });
    expect(created.config_yaml).toContain('# spikes');
    expect(created.config_yaml).toContain('name: spikes');
    expect(await listener.take(1, 0)).toEqual([{ type: 'rules_changed', rule_id: created.rule_id, action: 'created' }]);

    const rsi =
      'rule_type: indicator\ncontracts: [SIM.MNQ]\ntimeframes: [1m]\ncondition: { compare: { left: rsi_14, op: "<", right: 30 } }\n';
    const replaced = await replaceRule(db.prisma, BigInt(created.rule_id), good({ name: 'rsi-low', config_yaml: rsi }), REFS);
    expect(replaced).toMatchObject({ rule_id: created.rule_id, name: 'rsi-low', rule_type: 'indicator' });
    expect(await listener.take(1, 0)).toEqual([{ type: 'rules_changed', rule_id: created.rule_id, action: 'updated' }]);

    // A bad replacement names the key and leaves the stored rule as it was, un-NOTIFYd.
    const before = (await db.client.query('SELECT * FROM rules WHERE rule_id = $1', [created.rule_id])).rows;
    const badYaml = good({ name: 'rsi-low', config_yaml: rsi.replace('rsi_14', 'rsi_x') });
    expect(await rejectedField(replaceRule(db.prisma, BigInt(created.rule_id), badYaml, REFS))).toBe('config_yaml.condition.compare.left');
    expect((await db.client.query('SELECT * FROM rules WHERE rule_id = $1', [created.rule_id])).rows).toEqual(before);

    const off = await toggleRule(db.prisma, BigInt(created.rule_id), false);
    expect(off.is_active).toBe(false);
    expect(off.config_yaml).toMatch(/^is_active: false$/m);
    expect(await listener.take(1, 0)).toEqual([{ type: 'rules_changed', rule_id: created.rule_id, action: 'updated' }]);

    expect((await deleteRule(db.prisma, BigInt(created.rule_id))).deleted.name).toBe('rsi-low');
    expect(await listener.take(1, 0)).toEqual([{ type: 'rules_changed', rule_id: created.rule_id, action: 'deleted' }]);
    expect((await listRules(db.prisma)).rules).toEqual([]);
  });

  it.each([
    [{ config_yaml: SPIKE_YAML.replace('multiple: 3', 'multiple: -3') }, 'config_yaml.multiple'],
    [{ config_yaml: 'rule_type: volume_spik\n' }, 'config_yaml.rule_type'],
    [{ config_yaml: SPIKE_YAML.replace('SIM.MES', 'SIM.MEZ') }, 'config_yaml.contracts[0]'],
    [{ config_yaml: 'a: [\n' }, 'config_yaml'],
    [{ name: 'Spikes!' }, 'name'],
  ])('%j → 400 naming %s, nothing stored or NOTIFYd', async (over, field) => {
    expect(await rejectedField(createRule(db.prisma, good(over), REFS))).toBe(field);
    expect(await count('rules')).toBe(0);
    const ok = await createRule(db.prisma, good({ name: 'after-bad' }), REFS);
    await deleteRule(db.prisma, BigInt(ok.rule_id));
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
    const first = await createRule(db.prisma, good({ name: 'dupe' }), REFS);
    await expect(createRule(db.prisma, good({ name: 'dupe' }), REFS)).rejects.toBeInstanceOf(ConflictError);
    const { rows } = await db.client.query<{ rule_id: string }>(
      `INSERT INTO rules (name, rule_type, config_yaml, source) VALUES ('from-file', 'volume_spike', $1, 'file') RETURNING rule_id`,
      [SPIKE_YAML],
    );
    const fileId = BigInt(rows[0]!.rule_id);
    await expect(replaceRule(db.prisma, fileId, good({ name: 'from-file' }), REFS)).rejects.toThrow(/config\/rules and is read-only/);
    await expect(toggleRule(db.prisma, fileId, false)).rejects.toBeInstanceOf(ConflictError);
    await expect(deleteRule(db.prisma, fileId)).rejects.toBeInstanceOf(ConflictError);
    await expect(replaceRule(db.prisma, 999_999n, good(), REFS)).rejects.toBeInstanceOf(NotFoundError);
    expect((await db.client.query(`SELECT is_active, config_yaml FROM rules WHERE source = 'file'`)).rows).toEqual([
      { is_active: true, config_yaml: SPIKE_YAML },
    ]);
    expect(fieldOf(() => body(ruleToggleBodySchema, { is_active: 'off' }))).toBe('is_active');
    await deleteRule(db.prisma, BigInt(first.rule_id));
    await db.client.query(`DELETE FROM rules`);
  });
});
