// What a run wrote, page by page: trades, orders (run_orders), fills, positions and equity points (run_equity,
// with the drawdown below the running peak, computed in SQL so it is exact). Oldest first.
import { NotFoundError } from '@barstream/core';
import type { RecordPage, WireEquityPoint, WireFill, WireOrder, WirePosition, WireTrade } from '../api/trading-schemas.ts';
import type { RunPageQuery } from '../api/trading-routes.ts';
import { decimalText } from '../trading/money-text.ts';
import type { Db } from '../trading/trade-notify.ts';

async function requireRun(prisma: Db, runId: bigint): Promise<{ startingCapital: { toFixed(): string } }> {
  const run = await prisma.strategyRun.findUnique({ where: { runId }, select: { startingCapital: true } });
  if (!run) throw new NotFoundError(`run ${runId}`);
  return run;
}

function page<T>(q: RunPageQuery, total: number, items: T[]): RecordPage<T> {
  return { run_id: Number(q.runId), total, offset: q.offset, items };
}

export async function runTrades(prisma: Db, q: RunPageQuery): Promise<RecordPage<WireTrade>> {
  await requireRun(prisma, q.runId);
  const where = { runId: q.runId };
  const [total, rows] = await Promise.all([
    prisma.trade.count({ where }),
    prisma.trade.findMany({ where, orderBy: { tradeNo: 'asc' }, skip: q.offset, take: q.limit }),
  ]);
  return page(
    q,
    total,
    rows.map((t) => ({
      trade_no: t.tradeNo,
      side: t.side as WireTrade['side'],
      entry_time: t.entryTime.toISOString(),
      exit_time: t.exitTime.toISOString(),
      qty: t.qty,
      entry_price: t.entryPrice,
      exit_price: t.exitPrice,
      pnl: decimalText(t.pnl),
      fees: decimalText(t.fees),
      bars: t.bars,
    })),
  );
}

interface OrderRow {
  client_order_id: string;
  role: string;
  side: string;
  order_type: string;
  tif: string;
  qty: number;
  filled_qty: number;
  limit_price: number | null;
  stop_price: number | null;
  status: string;
  reason: string | null;
  revision: number;
  signal_key: string | null;
  created_at: Date;
  updated_at: Date;
}

export async function runOrders(prisma: Db, q: RunPageQuery): Promise<RecordPage<WireOrder>> {
  await requireRun(prisma, q.runId);
  const [total, rows] = await Promise.all([
    // A paper run's orders are rows, a backtest's final ones are packed in order_chunks (migration 022);
    // run_orders reads both.
    prisma.$queryRaw<{ n: bigint }[]>`
      SELECT (SELECT count(*) FROM orders WHERE run_id = ${q.runId})
           + (SELECT COALESCE(sum(orders), 0) FROM order_chunks WHERE run_id = ${q.runId}) AS n`,
    prisma.$queryRaw<OrderRow[]>`
      SELECT client_order_id, role, side, order_type, tif, qty, filled_qty, limit_price, stop_price, status, reason, revision,
             signal_key, created_at, updated_at
        FROM run_orders WHERE run_id = ${q.runId}
       ORDER BY created_at, client_order_id
      OFFSET ${q.offset} LIMIT ${q.limit}`,
  ]);
  return page(
    q,
    Number(total[0]?.n ?? 0),
    rows.map((o) => ({
      client_order_id: o.client_order_id,
      role: o.role,
      side: o.side as WireOrder['side'],
      order_type: o.order_type,
      tif: o.tif,
      qty: o.qty,
      filled_qty: o.filled_qty,
      limit_price: o.limit_price,
      stop_price: o.stop_price,
      status: o.status,
      reason: o.reason,
      revision: o.revision,
      signal_key: o.signal_key,
      created_at: o.created_at.toISOString(),
      updated_at: o.updated_at.toISOString(),
    })),
  );
}

export async function runFills(prisma: Db, q: RunPageQuery): Promise<RecordPage<WireFill>> {
  await requireRun(prisma, q.runId);
  const where = { runId: q.runId };
  const [total, rows] = await Promise.all([
    prisma.fill.count({ where }),
    prisma.fill.findMany({ where, orderBy: [{ time: 'asc' }, { fillId: 'asc' }], skip: q.offset, take: q.limit }),
  ]);
  const orders = await prisma.$queryRaw<{ client_order_id: string; role: string }[]>`
    SELECT client_order_id, role FROM run_orders
     WHERE run_id = ${q.runId} AND client_order_id = ANY(${[...new Set(rows.map((f) => f.clientOrderId))]}::text[])`;
  const roles = new Map(orders.map((o) => [o.client_order_id, o.role]));
  return page(
    q,
    total,
    rows.map((f) => ({
      fill_id: f.fillId,
      client_order_id: f.clientOrderId,
      role: roles.get(f.clientOrderId) ?? null,
      time: f.time.toISOString(),
      side: f.side as WireFill['side'],
      qty: f.qty,
      price: f.price,
      fee: decimalText(f.fee),
      realized_pnl: decimalText(f.realizedPnl),
    })),
  );
}

export async function runPositions(prisma: Db, q: RunPageQuery): Promise<RecordPage<WirePosition>> {
  await requireRun(prisma, q.runId);
  const where = { runId: q.runId };
  const [total, rows] = await Promise.all([
    prisma.position.count({ where }),
    prisma.position.findMany({ where, orderBy: { contractId: 'asc' }, skip: q.offset, take: q.limit }),
  ]);
  return page(
    q,
    total,
    rows.map((p) => ({
      contract_id: p.contractId,
      qty: p.qty,
      avg_price: p.avgPrice,
      realized_pnl: decimalText(p.realizedPnl),
      updated_at: p.updatedAt.toISOString(),
    })),
  );
}

interface EquityRow {
  time: Date;
  cash: string;
  equity: string;
  position_value: string;
  unrealized_pnl: string;
  realized_pnl: string;
  fees: string;
  margin_used: string;
  position: number;
  drawdown: string;
}

export async function runEquity(prisma: Db, q: RunPageQuery): Promise<RecordPage<WireEquityPoint>> {
  await requireRun(prisma, q.runId);
  const [total, rows] = await Promise.all([
    // A paper run's points are rows, a backtest's are packed in equity_change_chunks (older ones in
    // equity_chunks); run_equity reads all three.
    prisma.$queryRaw<{ n: bigint }[]>`
      SELECT (SELECT count(*) FROM equity_points WHERE run_id = ${q.runId})
           + (SELECT COALESCE(sum(points), 0) FROM equity_chunks WHERE run_id = ${q.runId})
           + (SELECT COALESCE(sum(points), 0) FROM equity_change_chunks WHERE run_id = ${q.runId}) AS n`,
    prisma.$queryRaw<EquityRow[]>`
      SELECT e."time", trim_scale(e.cash)::text AS cash, trim_scale(e.equity)::text AS equity,
             trim_scale(e.position_value)::text AS position_value, trim_scale(e.unrealized_pnl)::text AS unrealized_pnl,
             trim_scale(e.realized_pnl)::text AS realized_pnl, trim_scale(e.fees)::text AS fees,
             trim_scale(e.margin_used)::text AS margin_used, e.position,
             trim_scale(greatest(r.starting_capital, max(e.equity) OVER (ORDER BY e."time")) - e.equity)::text AS drawdown
      FROM run_equity e JOIN strategy_runs r ON r.run_id = e.run_id
      WHERE e.run_id = ${q.runId}
      ORDER BY e."time"
      OFFSET ${q.offset} LIMIT ${q.limit}`,
  ]);
  return page(
    q,
    Number(total[0]?.n ?? 0),
    rows.map((e) => ({
      time: e.time.toISOString(),
      cash: e.cash,
      equity: e.equity,
      position_value: e.position_value,
      unrealized_pnl: e.unrealized_pnl,
      realized_pnl: e.realized_pnl,
      fees: e.fees,
      margin_used: e.margin_used,
      position: e.position,
      drawdown: e.drawdown,
    })),
  );
}
