// Stores a backtest's records batch by batch, each batch in the caller's transaction with the run's
// progress and a trade_update NOTIFY, all by binary COPY: the order events as one order_event_chunks row,
// the batch's new orders that ended final as one order_chunks row, fills and round trips as rows, the
// equity points as one equity_change_chunks row (run-record-writer.ts stores a paper run's steps). A
// backtest run starts with no rows and is never replayed, so nothing needs an ON CONFLICT guard; an order
// still working at the end of one batch is an orders row, updated in place by a later one. Records are
// encoded as the engine emits them (`add`), so the engine's objects die young: a batch kept as a million
// objects until its COPY made the garbage collector a third of the backtest's CPU.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { channels, type TradeUpdateMessage } from '@barstream/core';
import type { PoolClient } from '@barstream/core/node';
import { type EngineEvent, formatMoney, type Money, type OrderRecord } from '@barstream/core/trading';
import { from as copyFrom } from 'pg-copy-streams';
import { BinaryRows } from './binary-rows.ts';
import { COPY_EQUITY_CHANGE_CHUNK, EquityColumns } from './equity-change-chunk-copy.ts';
import { COPY_ORDER_CHUNK, isFinal, OrderChunkColumns } from './order-chunk-copy.ts';
import { type ChunkOrder, COPY_ORDER_EVENT_CHUNK, OrderEventColumns } from './order-event-chunk-copy.ts';
import { type Ev, type RunStatus, type RunWrite, tradeUpdateCounts } from './run-events.ts';

const ms = (t: number): string => new Date(t).toISOString();

const COPY_ORDERS = `COPY orders (run_id, client_order_id, role, side, order_type, tif, qty, filled_qty, limit_price, stop_price,
  status, reason, revision, signal_key, created_at, updated_at) FROM STDIN (FORMAT binary)`;
const COPY_FILLS = 'COPY fills (run_id, fill_id, client_order_id, "time", side, qty, price, fee, realized_pnl) FROM STDIN (FORMAT binary)';
const COPY_TRADES =
  'COPY trades (run_id, trade_no, side, entry_time, exit_time, qty, entry_price, exit_price, pnl, fees, bars) FROM STDIN (FORMAT binary)';
/** A first batch's fill and trade rows start this big (later ones at their predecessor's size). */
const ROWS_BYTES = 1 << 16;

/** A batch's records, encoded: what `store` writes. */
export interface BacktestBatch {
  /** order_event_chunks COPY input (undefined: no order changed). */
  readonly history: Buffer[] | undefined;
  /** The seq of its first order event. */
  readonly firstSeq: number;
  readonly orderEvents: number;
  /** Each changed order's latest state; created_at from its first record in the batch. */
  readonly latest: ReadonlyMap<string, ChunkOrder>;
  /** fills and trades COPY input (undefined: none in the batch). */
  readonly fills: Buffer | undefined;
  readonly fillCount: number;
  readonly trades: Buffer | undefined;
  readonly tradeCount: number;
  /** equity_change_chunks COPY input (undefined: no point). */
  readonly equity: Buffer[] | undefined;
  readonly equityPoints: number;
  readonly lastEquity: Money | undefined;
  readonly position: Ev<'position'> | undefined;
  readonly halt: Ev<'halt'> | undefined;
}

export class BacktestRecordWriter {
  private orderSeq = 1;
  private tradeNo = 1;
  /** Orders stored as rows by an earlier batch: a later change updates their row. */
  private readonly stored = new Set<string>();
  /** Orders stored final in an order_chunks row: they never change again. */
  private readonly packed = new Set<string>();
  private readonly final = new OrderChunkColumns();
  private readonly history = new OrderEventColumns();
  private fills = new BinaryRows(ROWS_BYTES);
  private fillCount = 0;
  private trades = new BinaryRows(ROWS_BYTES);
  private tradeCount = 0;
  private readonly equity = new EquityColumns();
  private position: Ev<'position'> | undefined;
  private halt: Ev<'halt'> | undefined;

  constructor(
    readonly runId: number,
    readonly contractId: string,
  ) {}

  /** Takes one engine record into the current batch. */
  add(e: EngineEvent): void {
    switch (e.type) {
      case 'order':
        return this.addOrder(e);
      case 'fill':
        return this.addFill(e);
      case 'trade':
        return this.addTrade(e);
      case 'equity':
        return this.equity.add(e);
      case 'position':
        this.position = e;
        return;
      case 'halt':
        this.halt ??= e;
    }
  }

  /** The batch so far, encoded; the next records start a new one. The equity and order event buffers
   * are reused: a batch must be stored before the one after next is taken (backtest-run.ts stores them
   * in order, each after the one before). */
  take(): BacktestBatch {
    const history = this.history.length > 0 ? this.history.take(this.runId) : undefined;
    const batch: BacktestBatch = {
      history: history?.input,
      firstSeq: history?.firstSeq ?? 0,
      orderEvents: history?.events ?? 0,
      latest: history?.orders ?? new Map(),
      fills: this.fillCount > 0 ? this.fills.finish() : undefined,
      fillCount: this.fillCount,
      trades: this.tradeCount > 0 ? this.trades.finish() : undefined,
      tradeCount: this.tradeCount,
      equity: this.equity.length > 0 ? this.equity.take(this.runId) : undefined,
      equityPoints: this.equity.length,
      lastEquity: this.equity.lastEquity,
      position: this.position,
      halt: this.halt,
    };
    // The taken buffers are still to be sent while the next batch is written: new ones.
    if (this.fillCount > 0) this.fills = new BinaryRows(Math.max(this.fills.byteLength, ROWS_BYTES));
    if (this.tradeCount > 0) this.trades = new BinaryRows(Math.max(this.trades.byteLength, ROWS_BYTES));
    this.fillCount = 0;
    this.tradeCount = 0;
    this.position = undefined;
    this.halt = undefined;
    return batch;
  }

  /** Writes `w`'s records and everything added since the last batch (inside the caller's transaction) and
   * returns the trade_update it NOTIFYed. */
  async write(client: PoolClient, w: RunWrite): Promise<TradeUpdateMessage> {
    for (const e of w.events) this.add(e);
    return this.store(client, this.take(), w);
  }

  /** Writes a taken batch (inside the caller's transaction; batches in the order they were taken) with the
   * run's status from `w` (its events are not read), and returns the trade_update it NOTIFYed. */
  async store(client: PoolClient, b: BacktestBatch, w: RunWrite): Promise<TradeUpdateMessage> {
    // A backtest is re-runnable from its config and the stored bars: its batches need not wait for their WAL
    // to reach the disk. Commits stay in order, so a crash loses only the last batches of a run that then
    // never reads 'completed' (endRun commits synchronously): run it again.
    await client.query('SET LOCAL synchronous_commit = off');
    if (b.history) await this.writeOrders(client, b.history, b.firstSeq, b.latest);
    if (b.fills) await copy(client, COPY_FILLS, [b.fills]);
    if (b.trades) await copy(client, COPY_TRADES, [b.trades]);
    if (b.equity) await copy(client, COPY_EQUITY_CHANGE_CHUNK, b.equity);
    const position = b.position;
    if (position) {
      await client.query(
        `INSERT INTO positions (run_id, contract_id, qty, avg_price, realized_pnl, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (run_id, contract_id) DO UPDATE SET qty = EXCLUDED.qty, avg_price = EXCLUDED.avg_price,
           realized_pnl = EXCLUDED.realized_pnl, updated_at = EXCLUDED.updated_at`,
        [this.runId, this.contractId, position.qty, position.avgPrice, formatMoney(position.realizedPnl), ms(position.time)],
      );
    }
    const { halt } = b;
    const status: RunStatus = halt ? 'halted' : w.status;
    const message = tradeUpdateCounts(this, status, w.through, {
      orders: b.orderEvents,
      fills: b.fillCount,
      trades: b.tradeCount,
      equityPoints: b.equityPoints,
      lastEquity: b.lastEquity,
    });
    // The run's row and the NOTIFY in one round trip.
    await client.query(
      `WITH run AS (
         UPDATE strategy_runs SET status = $2, watermark = COALESCE(to_timestamp($3::float8 / 1000), watermark),
           progress = COALESCE($4, progress), halt_reason = COALESCE($5, halt_reason), halt_detail = COALESCE($6, halt_detail),
           ended_at = CASE WHEN $2 IN ('halted', 'completed', 'failed', 'stopped') THEN COALESCE(ended_at, now()) ELSE ended_at END,
           updated_at = now()
         WHERE run_id = $1 RETURNING run_id)
       SELECT pg_notify($7, $8) FROM run`,
      [
        this.runId,
        status,
        w.through,
        w.progress ?? null,
        halt?.reason ?? null,
        halt?.detail ?? null,
        channels.tradeUpdate.name,
        JSON.stringify(message),
      ],
    );
    return message;
  }

  private addFill(e: Ev<'fill'>): void {
    const r = this.fills;
    r.row(9);
    r.int8(this.runId);
    r.text(e.fillId);
    r.text(e.clientOrderId);
    r.timestamptz(e.time);
    r.text(e.side);
    r.float8(e.qty);
    r.float8(e.price);
    r.money(e.fee);
    r.money(e.realizedPnl);
    this.fillCount++;
  }

  private addTrade(e: Ev<'trade'>): void {
    const r = this.trades;
    r.row(11);
    r.int8(this.runId);
    r.int4(this.tradeNo++);
    r.text(e.side);
    r.timestamptz(e.entryTime);
    r.timestamptz(e.time);
    r.float8(e.qty);
    r.float8(e.entryPrice);
    r.float8(e.exitPrice);
    r.money(e.pnl);
    r.money(e.fees);
    r.int4(e.bars);
    this.tradeCount++;
  }

  private addOrder(e: Ev<'order'>): void {
    this.history.add(this.orderSeq++, e.time, e.order);
  }

  private async writeOrders(
    client: PoolClient,
    history: Buffer[],
    firstSeq: number,
    latest: ReadonlyMap<string, ChunkOrder>,
  ): Promise<void> {
    await copy(client, COPY_ORDER_EVENT_CHUNK, history);
    const fresh = new BinaryRows(ROWS_BYTES);
    let freshCount = 0;
    const changed: ChunkOrder[] = [];
    const final = this.final;
    for (const [id, r] of latest) {
      if (this.stored.has(id)) {
        changed.push(r);
        continue;
      }
      if (this.packed.has(id)) {
        // A final order changed, or an id used twice: what the orders' primary key refuses for rows.
        throw new Error(`backtest ${this.runId}: order ${id} changed after it was stored final (${r.order.status})`);
      }
      if (isFinal(r.order)) {
        this.packed.add(id);
        final.add(r.order, r.created, r.updated);
        continue;
      }
      this.stored.add(id);
      freshCount++;
      const o = r.order;
      fresh.row(16);
      fresh.int8(this.runId);
      fresh.text(id);
      fresh.text(o.role);
      fresh.text(o.side);
      fresh.text(o.orderType);
      fresh.text(o.tif);
      fresh.float8(o.qty);
      fresh.float8(o.filledQty);
      fresh.float8(o.limitPrice);
      fresh.float8(o.stopPrice);
      fresh.text(o.status);
      fresh.text(o.reason);
      fresh.int4(o.revision);
      fresh.text(o.signalKey);
      fresh.timestamptz(r.created);
      fresh.timestamptz(r.updated);
    }
    if (final.length > 0) await copy(client, COPY_ORDER_CHUNK, final.take(this.runId, firstSeq));
    if (freshCount > 0) await copy(client, COPY_ORDERS, [fresh.finish()]);
    if (changed.length > 0) {
      const c = <T>(f: (o: OrderRecord) => T): T[] => changed.map((r) => f(r.order));
      await client.query(
        `UPDATE orders o SET qty = u.qty, filled_qty = u.filled_qty, limit_price = u.limit_price, stop_price = u.stop_price,
           status = u.status, reason = u.reason, revision = u.revision, updated_at = u.updated_at
         FROM unnest($2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::text[], $8::text[], $9::int[],
           $10::timestamptz[]) AS u(id, qty, filled_qty, limit_price, stop_price, status, reason, revision, updated_at)
         WHERE o.run_id = $1 AND o.client_order_id = u.id`,
        [
          this.runId,
          c((o) => o.clientOrderId),
          c((o) => o.qty),
          c((o) => o.filledQty),
          c((o) => o.limitPrice),
          c((o) => o.stopPrice),
          c((o) => o.status),
          c((o) => o.reason),
          c((o) => o.revision),
          changed.map((r) => ms(r.updated)),
        ],
      );
    }
  }
}

/** Streams a binary COPY's input, its buffers as they are. */
async function copy(client: PoolClient, sql: string, input: readonly Buffer[]): Promise<void> {
  await pipeline(Readable.from(input), client.query(copyFrom(sql)));
}
