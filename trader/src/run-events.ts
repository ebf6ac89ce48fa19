// What a run step writes (its engine events, watermark and status) and those events sorted by kind, as
// every run writer stores them: orders, fills, round trips and equity points in order, the last
// position, and the first halt.
import type { TradeUpdateMessage } from '@barstream/core';
import { type EngineEvent, formatMoney, type Money } from '@barstream/core/trading';

export type RunStatus = TradeUpdateMessage['status'];

export interface RunWrite {
  readonly events: readonly EngineEvent[];
  /** The key of the last input these records reflect (strategy_runs.watermark); null: unchanged. */
  readonly through: number | null;
  readonly status: RunStatus;
  /** Backtests: share of the bars done. */
  readonly progress?: number;
  /** A backtest's batch into a run that has none of these rows yet: equity points and order events go in
   * by COPY (no ON CONFLICT guard needed: nothing is replayed), several times faster than INSERT. */
  readonly bulk?: boolean;
}

/** Numbering that continues across writes (and restarts: `RunRecordWriter.resume`). */
export interface RunCounters {
  /** order_events.seq of the next order change. */
  orderSeq: number;
  /** trades.trade_no of the next round trip. */
  tradeNo: number;
}

export type Ev<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

export interface RunEvents {
  readonly orders: Ev<'order'>[];
  readonly fills: Ev<'fill'>[];
  readonly trades: Ev<'trade'>[];
  readonly equity: Ev<'equity'>[];
  readonly position: Ev<'position'> | undefined;
  readonly halt: Ev<'halt'> | undefined;
}

export function splitRunEvents(events: readonly EngineEvent[]): RunEvents {
  const orders: Ev<'order'>[] = [];
  const fills: Ev<'fill'>[] = [];
  const trades: Ev<'trade'>[] = [];
  const equity: Ev<'equity'>[] = [];
  let position: Ev<'position'> | undefined;
  let halt: Ev<'halt'> | undefined;
  for (const e of events) {
    if (e.type === 'order') orders.push(e);
    else if (e.type === 'fill') fills.push(e);
    else if (e.type === 'trade') trades.push(e);
    else if (e.type === 'equity') equity.push(e);
    else if (e.type === 'position') position = e;
    else halt ??= e;
  }
  return { orders, fills, trades, equity, position, halt };
}

/** The trade_update a step's write NOTIFYs: what it stored, and the run's status and watermark after it. */
export function tradeUpdateMessage(
  ids: { readonly runId: number; readonly contractId: string },
  status: RunStatus,
  through: number | null,
  stored: Pick<RunEvents, 'orders' | 'fills' | 'trades' | 'equity'>,
): TradeUpdateMessage {
  return tradeUpdateCounts(ids, status, through, {
    orders: stored.orders.length,
    fills: stored.fills.length,
    trades: stored.trades.length,
    equityPoints: stored.equity.length,
    lastEquity: stored.equity[stored.equity.length - 1]?.equity,
  });
}

/** What a write stored, counted (a backtest's batch is encoded as it comes, not kept as records). */
export interface StoredCounts {
  /** Order changes (order_events rows). */
  readonly orders: number;
  readonly fills: number;
  readonly trades: number;
  readonly equityPoints: number;
  /** The last equity point's equity. */
  readonly lastEquity: Money | undefined;
}

/** tradeUpdateMessage from counts. */
export function tradeUpdateCounts(
  ids: { readonly runId: number; readonly contractId: string },
  status: RunStatus,
  through: number | null,
  stored: StoredCounts,
): TradeUpdateMessage {
  return {
    type: 'trade_update',
    run_id: ids.runId,
    contract_id: ids.contractId,
    status,
    through: through === null ? null : new Date(through).toISOString(),
    orders: stored.orders,
    fills: stored.fills,
    trades: stored.trades,
    equity_points: stored.equityPoints,
    equity: stored.lastEquity === undefined ? null : formatMoney(stored.lastEquity),
  };
}
