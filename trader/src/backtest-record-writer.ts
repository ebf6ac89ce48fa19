// Stores a backtest's records batch by batch, each batch in the caller's transaction with the run's
// progress and a trade_update NOTIFY: order events and new orders by binary COPY, fills and round trips
// by text COPY, the equity points as one equity_chunks row (run-record-writer.ts stores a paper run's
// steps). A backtest run starts with no rows and is never replayed, so nothing needs an ON CONFLICT
// guard; an order still working at the end of one batch is updated in place by a later one.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { channels, type TradeUpdateMessage } from '@barstream/core';
import { copyText, type PoolClient } from '@barstream/core/node';
import { formatMoney, type OrderRecord } from '@barstream/core/trading';
import { from as copyFrom } from 'pg-copy-streams';
import { BinaryRows } from './binary-rows.ts';
import { equityChunkCopy, COPY_EQUITY_CHUNK } from './equity-chunk-copy.ts';
import { type Ev, type RunStatus, type RunWrite, splitRunEvents, tradeUpdateMessage } from './run-events.ts';

const ms = (t: number): string => new Date(t).toISOString();

const COPY_ORDER_EVENTS =
  'COPY order_events (run_id, seq, "time", client_order_id, status, filled_qty, qty, limit_price, stop_price, reason, revision) FROM STDIN (FORMAT binary)';
const COPY_ORDERS = `COPY orders (run_id, client_order_id, role, side, order_type, tif, qty, filled_qty, limit_price, stop_price,
  status, reason, revision, signal_key, created_at, updated_at) FROM STDIN (FORMAT binary)`;
const COPY_FILLS = 'COPY fills (run_id, fill_id, client_order_id, "time", side, qty, price, fee, realized_pnl) FROM STDIN';
const COPY_TRADES = 'COPY trades (run_id, trade_no, side, entry_time, exit_time, qty, entry_price, exit_price, pnl, fees, bars) FROM STDIN';

export class BacktestRecordWriter {
  private orderSeq = 1;
  private tradeNo = 1;
  /** Orders stored by an earlier batch: a later change updates their row. */
  private readonly stored = new Set<string>();

  constructor(
    readonly runId: number,
    readonly contractId: string,
  ) {}

  /** Writes `w` (inside the caller's transaction) and returns the trade_update it NOTIFYed. */
  async write(client: PoolClient, w: RunWrite): Promise<TradeUpdateMessage> {
    const { orders, fills, trades, equity, position, halt } = splitRunEvents(w.events);
    if (orders.length > 0) await this.writeOrders(client, orders);
    if (fills.length > 0) await copy(client, COPY_FILLS, this.fillLines(fills));
    if (trades.length > 0) await copy(client, COPY_TRADES, this.tradeLines(trades));
    if (equity.length > 0) await copy(client, COPY_EQUITY_CHUNK, [equityChunkCopy(this.runId, equity)]);
    if (position) {
      await client.query(
        `INSERT INTO positions (run_id, contract_id, qty, avg_price, realized_pnl, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (run_id, contract_id) DO UPDATE SET qty = EXCLUDED.qty, avg_price = EXCLUDED.avg_price,
           realized_pnl = EXCLUDED.realized_pnl, updated_at = EXCLUDED.updated_at`,
        [this.runId, this.contractId, position.qty, position.avgPrice, formatMoney(position.realizedPnl), ms(position.time)],
      );
    }
    const status: RunStatus = halt ? 'halted' : w.status;
    const message = tradeUpdateMessage(this, status, w.through, { orders, fills, trades, equity });
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

  private async writeOrders(client: PoolClient, events: readonly Ev<'order'>[]): Promise<void> {
    const history = new BinaryRows(events.length * 110);
    for (const e of events) {
      const o = e.order;
      history.row(11);
      history.int8(this.runId);
      history.int8(this.orderSeq++);
      history.timestamptz(e.time);
      history.text(o.clientOrderId);
      history.text(o.status);
      history.float8(o.filledQty);
      history.float8(o.qty);
      history.float8(o.limitPrice);
      history.float8(o.stopPrice);
      history.text(o.reason);
      history.int4(o.revision);
    }
    await copy(client, COPY_ORDER_EVENTS, [history.finish()]);
    // Each order's latest state; created_at from its first record.
    const latest = new Map<string, { order: OrderRecord; created: number; updated: number }>();
    for (const e of events) {
      const prev = latest.get(e.order.clientOrderId);
      latest.set(e.order.clientOrderId, { order: e.order, created: prev?.created ?? e.time, updated: e.time });
    }
    const fresh = new BinaryRows(latest.size * 160);
    let freshCount = 0;
    const changed: { order: OrderRecord; updated: number }[] = [];
    for (const [id, r] of latest) {
      if (this.stored.has(id)) {
        changed.push(r);
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

  private fillLines(fills: readonly Ev<'fill'>[]): string[] {
    return fills.map(
      (f) =>
        `${this.runId}\t${copyText(f.fillId)}\t${copyText(f.clientOrderId)}\t${ms(f.time)}\t${f.side}\t${f.qty}\t${f.price}\t${formatMoney(f.fee)}\t${formatMoney(f.realizedPnl)}\n`,
    );
  }

  private tradeLines(trades: readonly Ev<'trade'>[]): string[] {
    return trades.map(
      (t) =>
        `${this.runId}\t${this.tradeNo++}\t${t.side}\t${ms(t.entryTime)}\t${ms(t.time)}\t${t.qty}\t${t.entryPrice}\t${t.exitPrice}\t${formatMoney(t.pnl)}\t${formatMoney(t.fees)}\t${t.bars}\n`,
    );
  }
}

/** Streams a COPY's input (text lines are joined 5,000 to a chunk). */
async function copy(client: PoolClient, sql: string, input: readonly (string | Buffer)[]): Promise<void> {
  const chunks: (string | Buffer)[] = [];
  for (let i = 0; i < input.length; i += 5_000) {
    const part = input.slice(i, i + 5_000);
    chunks.push(typeof part[0] === 'string' ? part.join('') : Buffer.concat(part as Buffer[]));
  }
  await pipeline(Readable.from(chunks), client.query(copyFrom(sql)));
}
