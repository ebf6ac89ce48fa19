// strategies through Prisma: list, read, create, replace and delete. Rows synced from
// config/strategies/*.yaml (source 'file') are read-only here: the file is their truth.
import { ConflictError, NotFoundError, ValidationError } from '@barstream/core';
import type { StrategyBody, WireStrategy } from '../api/strategy-schemas.ts';
import { parseStrategyYaml } from '../trading/strategy-yaml.ts';
import type { Db } from '../trading/trade-notify.ts';

interface StrategyRow {
  strategyId: string;
  description: string;
  configYaml: string;
  source: string;
  createdAt: Date;
  updatedAt: Date;
}

function wire(r: StrategyRow): WireStrategy {
  // A stored row was checked when written; a file row the trader synced may be from a newer schema,
  // so read its headline fields leniently rather than fail the whole list.
  let kind: WireStrategy['kind'] = 'paper';
  let contract = '';
  let timeframe = '';
  try {
    const { config } = parseStrategyYaml(r.configYaml);
    ({ kind, contract, timeframe } = config);
  } catch {
    // shown with empty headline fields; GET …/{id} still answers the YAML
  }
  return {
    strategy_id: r.strategyId,
    description: r.description,
    source: r.source === 'file' ? 'file' : 'api',
    kind,
    contract_id: contract,
    timeframe,
    config_yaml: r.configYaml,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}

export async function listStrategies(prisma: Db): Promise<{ strategies: WireStrategy[] }> {
  const rows = await prisma.strategy.findMany({ orderBy: { strategyId: 'asc' } });
  return { strategies: rows.map(wire) };
}

export async function readStrategy(prisma: Db, id: string): Promise<{ strategy: WireStrategy }> {
  const row = await prisma.strategy.findUnique({ where: { strategyId: id } });
  if (!row) throw new NotFoundError(`strategy '${id}'`);
  return { strategy: wire(row) };
}

export async function createStrategy(prisma: Db, body: StrategyBody): Promise<{ strategy: WireStrategy }> {
  const { config } = parseStrategyYaml(body.config_yaml);
  const existing = await prisma.strategy.findUnique({ where: { strategyId: config.id }, select: { source: true } });
  if (existing) throw new ConflictError(`strategy '${config.id}' exists; PUT /api/strategies/${config.id} replaces it`);
  const row = await prisma.strategy.create({
    data: { strategyId: config.id, description: body.description, configYaml: body.config_yaml, source: 'api' },
  });
  return { strategy: wire(row) };
}

function refuseFileStrategy(id: string, source: string): void {
  if (source === 'file') {
    throw new ConflictError(`strategy '${id}' comes from config/strategies/${id}.yaml; edit the file (the trader syncs it at start)`);
  }
}

export async function replaceStrategy(prisma: Db, id: string, body: StrategyBody): Promise<{ strategy: WireStrategy }> {
  const existing = await prisma.strategy.findUnique({ where: { strategyId: id }, select: { source: true } });
  if (!existing) throw new NotFoundError(`strategy '${id}'`);
  refuseFileStrategy(id, existing.source);
  const { config } = parseStrategyYaml(body.config_yaml);
  if (config.id !== id) throw new ValidationError('config_yaml.id', `is '${config.id}' but the path names '${id}'`);
  const row = await prisma.strategy.update({
    where: { strategyId: id },
    data: { description: body.description, configYaml: body.config_yaml, updatedAt: new Date() },
  });
  return { strategy: wire(row) };
}

/** Deletes an API strategy; its runs stay (strategy_id set NULL by the foreign key). */
export async function deleteStrategy(prisma: Db, id: string): Promise<{ deleted: string }> {
  const existing = await prisma.strategy.findUnique({ where: { strategyId: id }, select: { source: true } });
  if (!existing) throw new NotFoundError(`strategy '${id}'`);
  refuseFileStrategy(id, existing.source);
  await prisma.strategy.delete({ where: { strategyId: id } });
  return { deleted: id };
}
