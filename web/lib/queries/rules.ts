// rules through Prisma: list, create, replace, toggle, delete. Each write validates the YAML with core's
// rule schema first (nothing stored on a mistake) and NOTIFYs rules_changed in its own transaction.
// Rules loaded from config/rules (source 'file') are read-only here: the file is their truth, and the
// alerter writes it over the row at every start, so an edit through the API would silently vanish.
import {
  ConflictError,
  NotFoundError,
  parseRuleYaml,
  type RuleReferences,
  type RuleType,
  ValidationError,
  withRuleColumns,
} from '@barstream/core';
import type { PrismaClient } from '@barstream/prisma';
import type { RuleBody, WireRule } from '../api/rule-api-schemas.ts';
import { notifyInTransaction, type TransactionClient } from './notify-in-transaction.ts';

type RuleRow = NonNullable<Awaited<ReturnType<PrismaClient['rule']['findFirst']>>>;

export function wireRule(r: RuleRow): WireRule {
  return {
    rule_id: Number(r.ruleId),
    name: r.name,
    description: r.description,
    rule_type: r.ruleType as RuleType,
    config_yaml: r.configYaml,
    source: r.source as WireRule['source'],
    is_active: r.isActive,
    priority: r.priority,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}

/** The row's columns from a body, or a ValidationError naming the first bad key (every problem in the message). */
function validatedRule(body: RuleBody, refs: RuleReferences | undefined): { ruleType: RuleType; configYaml: string } {
  const columns = { name: body.name, description: body.description, priority: body.priority, is_active: body.is_active };
  const result = parseRuleYaml(body.config_yaml, columns, refs);
  if (!result.ok) {
    const [first] = result.problems;
    const rest = result.problems.slice(1).map((p) => `; ${p.field}: ${p.message}`);
    throw new ValidationError(first?.field ?? 'config_yaml', `${first?.message ?? 'is invalid'}${rest.join('')}`);
  }
  return { ruleType: result.rule.rule_type, configYaml: result.yaml };
}

export async function listRules(prisma: PrismaClient): Promise<{ rules: WireRule[] }> {
  const rows = await prisma.rule.findMany({ orderBy: [{ priority: 'desc' }, { name: 'asc' }] });
  return { rules: rows.map(wireRule) };
}

async function editableRule(tx: TransactionClient, id: bigint): Promise<RuleRow> {
  const row = await tx.rule.findUnique({ where: { ruleId: id } });
  if (!row) throw new NotFoundError(`rule ${id}`);
  if (row.source === 'file') {
    throw new ConflictError(`rule "${row.name}" comes from config/rules and is read-only here; edit its file and restart the alerter`);
  }
  return row;
}

async function requireFreeName(tx: TransactionClient, name: string, except?: bigint): Promise<void> {
  const other = await tx.rule.findUnique({ where: { name }, select: { ruleId: true } });
  if (other && other.ruleId !== except) throw new ConflictError(`a rule named "${name}" already exists`);
}

export async function createRule(prisma: PrismaClient, body: RuleBody, refs?: RuleReferences): Promise<WireRule> {
  const { ruleType, configYaml } = validatedRule(body, refs);
  return prisma.$transaction(async (tx) => {
    await requireFreeName(tx, body.name);
    const row = await tx.rule.create({
      data: {
        name: body.name,
        description: body.description,
        priority: body.priority,
        isActive: body.is_active,
        ruleType,
        configYaml,
        source: 'api',
      },
    });
    await notifyInTransaction(tx, 'rulesChanged', { type: 'rules_changed', rule_id: Number(row.ruleId), action: 'created' });
    return wireRule(row);
  });
}

export async function replaceRule(prisma: PrismaClient, id: bigint, body: RuleBody, refs?: RuleReferences): Promise<WireRule> {
  const { ruleType, configYaml } = validatedRule(body, refs);
  return prisma.$transaction(async (tx) => {
    await editableRule(tx, id);
    await requireFreeName(tx, body.name, id);
    const row = await tx.rule.update({
      where: { ruleId: id },
      data: {
        name: body.name,
        description: body.description,
        priority: body.priority,
        isActive: body.is_active,
        ruleType,
        configYaml,
        updatedAt: new Date(),
      },
    });
    await notifyInTransaction(tx, 'rulesChanged', { type: 'rules_changed', rule_id: Number(id), action: 'updated' });
    return wireRule(row);
  });
}

export async function toggleRule(prisma: PrismaClient, id: bigint, isActive: boolean): Promise<WireRule> {
  return prisma.$transaction(async (tx) => {
    const current = await editableRule(tx, id);
    // The stored YAML says is_active too (parseRuleYaml writes the columns in): keep the two equal.
    const columns = { name: current.name, description: current.description, priority: current.priority, is_active: isActive };
    const row = await tx.rule.update({
      where: { ruleId: id },
      data: { isActive, updatedAt: new Date(), configYaml: withRuleColumns(current.configYaml, columns) },
    });
    await notifyInTransaction(tx, 'rulesChanged', { type: 'rules_changed', rule_id: Number(id), action: 'updated' });
    return wireRule(row);
  });
}

export async function deleteRule(prisma: PrismaClient, id: bigint): Promise<{ deleted: WireRule }> {
  return prisma.$transaction(async (tx) => {
    const row = await editableRule(tx, id);
    await tx.rule.delete({ where: { ruleId: id } });
    await notifyInTransaction(tx, 'rulesChanged', { type: 'rules_changed', rule_id: Number(id), action: 'deleted' });
    return { deleted: wireRule(row) };
  });
}
