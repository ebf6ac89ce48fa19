// strategy_runs through Prisma: the list (with PnL and drawdown) and one run with its report.
// PnL and drawdown are computed in SQL over numeric(30,8) columns, so they are exact.
import { NotFoundError } from '@barstream/core';
import type { RunDetailResponse, RunsResponse, WireRun } from '../api/trading-schemas.ts';
import type { RunsQuery } from '../api/trading-routes.ts';
import { reportWire } from '../trading/report-wire.ts';
import type { Db } from '../trading/trade-notify.ts';

interface RunRow {
  runId: bigint;
  strategyId: string | null;
  kind: string;
  status: string;
  contractId: string;
  timeframe: string;
  fillModel: string;
  rangeFrom: Date | null;
  rangeTo: Date | null;
  startingCapital: { toFixed(): string };
  watermark: Date | null;
  progress: number;
  haltReason: string | null;
  haltDetail: string | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  updatedAt: Date;
}

interface RunStats {
  run_id: bigint;
  starting_capital: string;
  equity: string | null;
  net_pnl: string | null;
  max_drawdown: string | null;
}

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/** Latest equity, equity − capital, and the largest fall below the running peak (which starts at the
 * capital), as exact decimal text. `trim_scale` drops numeric(30,8)'s trailing zeros. */
async function runStats(prisma: Db, ids: readonly bigint[]): Promise<Map<bigint, RunStats>> {
  if (ids.length === 0) return new Map();
  const rows = await prisma.$queryRaw<RunStats[]>`
    SELECT r.run_id,
           trim_scale(r.starting_capital)::text AS starting_capital,
           trim_scale(last.equity)::text AS equity,
           trim_scale(last.equity - r.starting_capital)::text AS net_pnl,
           trim_scale(dd.max_drawdown)::text AS max_drawdown
    FROM strategy_runs r
    LEFT JOIN LATERAL (
      SELECT e.equity FROM run_equity e WHERE e.run_id = r.run_id ORDER BY e."time" DESC LIMIT 1
    ) last ON true
    LEFT JOIN LATERAL (
      SELECT max(greatest(r.starting_capital, x.peak) - x.equity) AS max_drawdown
      FROM (SELECT e.equity, max(e.equity) OVER (ORDER BY e."time") AS peak FROM run_equity e WHERE e.run_id = r.run_id) x
    ) dd ON true
    WHERE r.run_id = ANY(${[...ids]}::bigint[])`;
  return new Map(rows.map((r) => [BigInt(r.run_id), r]));
}

function wire(r: RunRow, stats: RunStats | undefined): WireRun {
  return {
    run_id: Number(r.runId),
    strategy_id: r.strategyId,
    kind: r.kind as WireRun['kind'],
    status: r.status as WireRun['status'],
    contract_id: r.contractId,
    timeframe: r.timeframe,
    fill_model: r.fillModel,
    range_from: iso(r.rangeFrom),
    range_to: iso(r.rangeTo),
    starting_capital: stats?.starting_capital ?? r.startingCapital.toFixed(),
    equity: stats?.equity ?? null,
    net_pnl: stats?.net_pnl ?? null,
    max_drawdown: stats?.equity == null ? null : (stats.max_drawdown ?? '0'),
    progress: r.progress,
    watermark: iso(r.watermark),
    halt_reason: r.haltReason,
    halt_detail: r.haltDetail,
    error: r.error,
    created_at: r.createdAt.toISOString(),
    started_at: iso(r.startedAt),
    ended_at: iso(r.endedAt),
    updated_at: r.updatedAt.toISOString(),
  };
}

const RUN_COLUMNS = {
  runId: true,
  strategyId: true,
  kind: true,
  status: true,
  contractId: true,
  timeframe: true,
  fillModel: true,
  rangeFrom: true,
  rangeTo: true,
  startingCapital: true,
  watermark: true,
  progress: true,
  haltReason: true,
  haltDetail: true,
  error: true,
  createdAt: true,
  startedAt: true,
  endedAt: true,
  updatedAt: true,
} as const;

export async function listRuns(prisma: Db, q: RunsQuery): Promise<RunsResponse> {
  const rows = await prisma.strategyRun.findMany({
    where: {
      ...(q.status === undefined ? {} : { status: q.status }),
      ...(q.kind === undefined ? {} : { kind: q.kind }),
      ...(q.strategyId === undefined ? {} : { strategyId: q.strategyId }),
    },
    select: RUN_COLUMNS,
    orderBy: { runId: 'desc' },
    take: q.limit,
  });
  const stats = await runStats(
    prisma,
    rows.map((r) => r.runId),
  );
  return { runs: rows.map((r) => wire(r, stats.get(r.runId))) };
}

export async function readRun(prisma: Db, runId: bigint): Promise<RunDetailResponse> {
  const row = await prisma.strategyRun.findUnique({
    where: { runId },
    select: { ...RUN_COLUMNS, config: true, params: true, report: true },
  });
  if (!row) throw new NotFoundError(`run ${runId}`);
  const stats = await runStats(prisma, [runId]);
  const instrument = (row.config as { instrument?: { kind?: string } } | null)?.instrument;
  return {
    run: wire(row, stats.get(runId)),
    config: row.config,
    params: row.params ?? null,
    report: reportWire(row.report, instrument?.kind),
  };
}
