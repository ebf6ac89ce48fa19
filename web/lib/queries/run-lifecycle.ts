// Creating paper runs and backtests, starting and stopping runs: each writes strategy_runs and
// NOTIFYs trade_update in the same transaction; the trader does the running.
import { ConflictError, NotFoundError, parseTimeframe, ValidationError } from '@barstream/core';
import { formatMoney, type StrategyRunConfig, toMoney } from '@barstream/core/trading';
import type { BacktestBody, RunBody } from '../api/run-bodies.ts';
import { resolveRunConfig } from '../trading/run-config-source.ts';
import { type Db, notifyTradeUpdate, statusUpdate } from '../trading/trade-notify.ts';
import type { PrismaClient } from '@barstream/prisma';

function runColumns(strategyId: string | null, config: StrategyRunConfig) {
  return {
    strategyId,
    kind: config.kind,
    status: 'created',
    config: config as object,
    contractId: config.contract,
    timeframe: config.timeframe,
    fillModel: config.fill_model.type,
    startingCapital: formatMoney(toMoney(config.starting_capital, 'starting_capital')),
  };
}

async function insertRun(
  prisma: PrismaClient,
  data: ReturnType<typeof runColumns> & { rangeFrom?: Date; rangeTo?: Date },
): Promise<{ run_id: number }> {
  const run = await prisma.$transaction(async (tx) => {
    const row = await tx.strategyRun.create({ data, select: { runId: true, contractId: true, status: true, watermark: true } });
    await notifyTradeUpdate(tx, statusUpdate(row));
    return row;
  });
  return { run_id: Number(run.runId) };
}

export async function createPaperRun(prisma: PrismaClient, body: RunBody): Promise<{ run_id: number }> {
  const { strategyId, config } = await resolveRunConfig(prisma, body, { kind: 'paper' });
  await requireContract(prisma, config.contract);
  return insertRun(prisma, runColumns(strategyId, config));
}

async function requireContract(prisma: Db, contractId: string): Promise<void> {
  if ((await prisma.contract.count({ where: { id: contractId } })) === 0) {
    throw new ValidationError('contract', `'${contractId}' is not a stored contract (GET /api/contracts lists them)`);
  }
}

/** A backtest over stored bars: refused (400, nothing stored) when the range holds no closed bar. */
export async function createBacktest(prisma: PrismaClient, body: BacktestBody): Promise<{ run_id: number }> {
  const { strategyId, config } = await resolveRunConfig(prisma, body, { kind: 'backtest', from: body.from, to: body.to });
  await requireContract(prisma, config.contract);
  const tf = parseTimeframe(config.timeframe);
  const bars = await prisma.ohlcBar.count({
    where: {
      contractId: config.contract,
      timeframeUnit: tf.unit,
      timeframeValue: tf.value,
      isClosed: true,
      timestamp: { gte: body.from, lt: body.to },
    },
  });
  if (bars === 0) {
    throw new ValidationError(
      'contract',
      `'${config.contract}' has no closed ${config.timeframe} bars from ${body.from.toISOString()} to ${body.to.toISOString()}; import or ingest bars first`,
    );
  }
  return insertRun(prisma, { ...runColumns(strategyId, config), rangeFrom: body.from, rangeTo: body.to });
}

/** Moves a run from one of `from` to `to`, or answers 409 naming its status. */
async function transition(prisma: PrismaClient, runId: bigint, from: readonly string[], to: 'running' | 'stopped', verb: string) {
  return prisma.$transaction(async (tx) => {
    // FOR UPDATE: two concurrent starts must not both see 'created'.
    const locked = await tx.$queryRaw<{ kind: string; status: string }[]>`
      SELECT kind, status FROM strategy_runs WHERE run_id = ${runId} FOR UPDATE`;
    const current = locked[0];
    if (!current) throw new NotFoundError(`run ${runId}`);
    if (current.kind !== 'paper') throw new ConflictError(`run ${runId} is a backtest; the trader runs it to completion`);
    if (!from.includes(current.status))
      throw new ConflictError(`run ${runId} is ${current.status}; only a ${from.join(' or ')} run can be ${verb}`);
    const now = new Date();
    const row = await tx.strategyRun.update({
      where: { runId },
      data: { status: to, updatedAt: now, ...(to === 'running' ? { startedAt: now, endedAt: null } : { endedAt: now }) },
      select: { runId: true, contractId: true, status: true, watermark: true },
    });
    await notifyTradeUpdate(tx, statusUpdate(row));
    return row;
  });
}

export async function startRun(prisma: PrismaClient, runId: bigint): Promise<{ run_id: number }> {
  await transition(prisma, runId, ['created', 'stopped'], 'running', 'started');
  return { run_id: Number(runId) };
}

export async function stopRun(prisma: PrismaClient, runId: bigint): Promise<{ run_id: number }> {
  await transition(prisma, runId, ['created', 'running'], 'stopped', 'stopped');
  return { run_id: Number(runId) };
}
