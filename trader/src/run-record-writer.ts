// Stores what a run's inputs produced — orders (latest state) and order_events, fills, positions, round
// trips, equity points, a halt — with the run's watermark, and NOTIFYs trade_update, in the caller's
// transaction. Fills, round trips and equity points insert ON CONFLICT DO NOTHING on their stable ids:
// a second guard, after the replay, against storing anything twice.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { channels, type TradeUpdateMessage } from '@barstream/core';
import type { PoolClient } from '@barstream/core/node';
import { from as copyFrom } from 'pg-copy-streams';
import { formatMoney, type OrderRecord } from '@barstream/core/trading';
import { type StepContinuation, writeRunRecordsInOneStatement } from './run-record-statement.ts';
import { type Ev, type RunCounters, type RunStatus, type RunWrite, splitRunEvents, tradeUpdateMessage } from './run-events.ts';

export type { RunCounters, RunStatus, RunWrite } from './run-events.ts';

/** At least this many rows make COPY pay for its extra round trips. */
const COPY_FROM_ROWS = 2_000;

/** A COPY text field: null as \\N; the engine's texts (ids, statuses, reasons) have no tab, newline or backslash. */
const field = (v: string | number | null): string => (v === null ? '\\N' : String(v));

const ms = (t: number): string => new Date(t).toISOString();

export class RunRecordWriter {
  constructor(
    readonly runId: number,
    readonly contractId: string,
    private readonly counters: RunCounters = { orderSeq: 1, tradeNo: 1 },
  ) {}

  /** Continues the numbering of a run whose records are stored. */
  static async resume(client: PoolClient | import('pg').Pool, runId: number, contractId: string): Promise<RunRecordWriter> {
    const { rows } = await client.query<{ seq: string; trade: number }>(
      `SELECT (SELECT COALESCE(max(seq), 0) FROM order_events WHERE run_id = $1)::text AS seq,
              (SELECT COALESCE(max(trade_no), 0) FROM trades WHERE run_id = $1)::int AS trade`,
      [runId],
    );
    const row = rows[0];
    return new RunRecordWriter(runId, contractId, { orderSeq: Number(row?.seq ?? 0) + 1, tradeNo: (row?.trade ?? 0) + 1 });
  }

  /** Writes `w` (inside the caller's transaction) and returns the trade_update it NOTIFYed. */
  async write(client: PoolClient, w: RunWrite): Promise<TradeUpdateMessage> {
    const { orders, fills, trades, equity, position, halt } = splitRunEvents(w.events);
    const bulk = w.bulk === true;
    await this.writeOrders(client, orders, bulk && orders.length >= COPY_FROM_ROWS);
    if (fills.length > 0) await this.writeFills(client, fills);
    if (trades.length > 0) await this.writeTrades(client, trades);
    if (equity.length > 0) {
      if (bulk && equity.length >= COPY_FROM_ROWS) await this.copyEquity(client, equity);
      else await this.writeEquity(client, equity);
    }
    if (position) {
      await client.query(
        `INSERT INTO positions (run_id, contract_id, qty, avg_price, realized_pnl, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (run_id, contract_id) DO UPDATE SET qty = EXCLUDED.qty, avg_price = EXCLUDED.avg_price,
           realized_pnl = EXCLUDED.realized_pnl, updated_at = EXCLUDED.updated_at`,
        [this.runId, this.contractId, position.qty, position.avgPrice, formatMoney(position.realizedPnl), ms(position.time)],
      );
    }
    const status: RunStatus = halt ? 'halted' : w.status;
    await client.query(
      `UPDATE strategy_runs SET status = $2, watermark = COALESCE(to_timestamp($3::float8 / 1000), watermark),
         progress = COALESCE($4, progress), halt_reason = COALESCE($5, halt_reason), halt_detail = COALESCE($6, halt_detail),
         ended_at = CASE WHEN $2 IN ('halted', 'completed', 'failed', 'stopped') THEN COALESCE(ended_at, now()) ELSE ended_at END,
         updated_at = now()
       WHERE run_id = $1`,
      [this.runId, status, w.through, w.progress ?? null, halt?.reason ?? null, halt?.detail ?? null],
    );
    const message = tradeUpdateMessage(this, status, w.through, { orders, fills, trades, equity });
    await client.query('SELECT pg_notify($1, $2)', [channels.tradeUpdate.name, JSON.stringify(message)]);
    return message;
  }

  /** `write` as one autocommit statement (one round trip, its own transaction), checked against the run's
   * stored watermark, with the applied commands' `at`: a paper step's write (run-record-statement.ts). */
  writeOneStatement(client: import('pg').ClientBase | import('pg').Pool, w: RunWrite, step: StepContinuation): Promise<TradeUpdateMessage> {
    return writeRunRecordsInOneStatement(client, this, this.counters, w, step);
  }

  private async writeOrders(client: PoolClient, events: readonly Ev<'order'>[], copy: boolean): Promise<void> {
    if (events.length === 0) return;
    const seq0 = this.counters.orderSeq;
    this.counters.orderSeq += events.length;
    if (copy) await this.copyOrderEvents(client, events, seq0);
    else await this.insertOrderEvents(client, events, seq0);
    await this.upsertOrders(client, events);
  }

  private async copyOrderEvents(client: PoolClient, events: readonly Ev<'order'>[], seq0: number): Promise<void> {
    const lines = events.map((e, i) => {
      const o = e.order;
      return `${this.runId}\t${seq0 + i}\t${ms(e.time)}\t${o.clientOrderId}\t${o.status}\t${o.filledQty}\t${o.qty}\t${field(o.limitPrice)}\t${field(o.stopPrice)}\t${field(o.reason)}\t${o.revision}\n`;
    });
    await copyLines(
      client,
      'COPY order_events (run_id, seq, "time", client_order_id, status, filled_qty, qty, limit_price, stop_price, reason, revision) FROM STDIN',
      lines,
    );
  }

  private async copyEquity(client: PoolClient, points: readonly Ev<'equity'>[]): Promise<void> {
    const lines = points.map(
      (p) =>
        `${this.runId}\t${ms(p.time)}\t${formatMoney(p.cash)}\t${formatMoney(p.equity)}\t${formatMoney(p.positionValue)}\t${formatMoney(p.unrealizedPnl)}\t${formatMoney(p.realizedPnl)}\t${formatMoney(p.fees)}\t${formatMoney(p.marginUsed)}\t${p.position}\n`,
    );
    await copyLines(
      client,
      'COPY equity_points (run_id, "time", cash, equity, position_value, unrealized_pnl, realized_pnl, fees, margin_used, position) FROM STDIN',
      lines,
    );
  }

  private async insertOrderEvents(client: PoolClient, events: readonly Ev<'order'>[], seq0: number): Promise<void> {
    const col = <T>(f: (o: OrderRecord, e: Ev<'order'>) => T): T[] => events.map((e) => f(e.order, e));
    await client.query(
      `INSERT INTO order_events (run_id, seq, "time", client_order_id, status, filled_qty, qty, limit_price, stop_price, reason, revision)
       SELECT $1, $2::bigint + n - 1, t, id, st, fq, q, lp, sp, r, rv
         FROM unnest($3::timestamptz[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::text[], $11::int[])
              WITH ORDINALITY AS x(t, id, st, fq, q, lp, sp, r, rv, n)
       ON CONFLICT (run_id, seq) DO NOTHING`,
      [
        this.runId,
        seq0,
        col((_, e) => ms(e.time)),
        col((o) => o.clientOrderId),
        col((o) => o.status),
        col((o) => o.filledQty),
        col((o) => o.qty),
        col((o) => o.limitPrice),
        col((o) => o.stopPrice),
        col((o) => o.reason),
        col((o) => o.revision),
      ],
    );
  }

  /** The latest state of each order; created_at from its first record (kept when it exists already). */
  private async upsertOrders(client: PoolClient, events: readonly Ev<'order'>[]): Promise<void> {
    const latest = new Map<string, { e: Ev<'order'>; created: number }>();
    for (const e of events) {
      const prev = latest.get(e.order.clientOrderId);
      latest.set(e.order.clientOrderId, { e, created: prev?.created ?? e.time });
    }
    const rows = [...latest.values()];
    const c = <T>(f: (o: OrderRecord) => T): T[] => rows.map((r) => f(r.e.order));
    await client.query(
      `INSERT INTO orders (run_id, client_order_id, role, side, order_type, tif, qty, filled_qty, limit_price, stop_price,
         status, reason, revision, signal_key, created_at, updated_at)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[],
         $9::float8[], $10::float8[], $11::text[], $12::text[], $13::int[], $14::text[], $15::timestamptz[], $16::timestamptz[])
       ON CONFLICT (run_id, client_order_id) DO UPDATE SET qty = EXCLUDED.qty, filled_qty = EXCLUDED.filled_qty,
         limit_price = EXCLUDED.limit_price, stop_price = EXCLUDED.stop_price, status = EXCLUDED.status,
         reason = EXCLUDED.reason, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at`,
      [
        this.runId,
        c((o) => o.clientOrderId),
        c((o) => o.role),
        c((o) => o.side),
        c((o) => o.orderType),
        c((o) => o.tif),
        c((o) => o.qty),
        c((o) => o.filledQty),
        c((o) => o.limitPrice),
        c((o) => o.stopPrice),
        c((o) => o.status),
        c((o) => o.reason),
        c((o) => o.revision),
        c((o) => o.signalKey),
        rows.map((r) => ms(r.created)),
        rows.map((r) => ms(r.e.time)),
      ],
    );
  }

  private async writeFills(client: PoolClient, fills: readonly Ev<'fill'>[]): Promise<void> {
    await client.query(
      `INSERT INTO fills (run_id, fill_id, client_order_id, "time", side, qty, price, fee, realized_pnl)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::float8[], $7::float8[], $8::numeric[], $9::numeric[])
       ON CONFLICT (run_id, fill_id) DO NOTHING`,
      [
        this.runId,
        fills.map((f) => f.fillId),
        fills.map((f) => f.clientOrderId),
        fills.map((f) => ms(f.time)),
        fills.map((f) => f.side),
        fills.map((f) => f.qty),
        fills.map((f) => f.price),
        fills.map((f) => formatMoney(f.fee)),
        fills.map((f) => formatMoney(f.realizedPnl)),
      ],
    );
  }

  private async writeTrades(client: PoolClient, trades: readonly Ev<'trade'>[]): Promise<void> {
    const no0 = this.counters.tradeNo;
    this.counters.tradeNo += trades.length;
    await client.query(
      `INSERT INTO trades (run_id, trade_no, side, entry_time, exit_time, qty, entry_price, exit_price, pnl, fees, bars)
       SELECT $1, $2::int + n - 1, s, et, xt, q, ep, xp, p, f, b
         FROM unnest($3::text[], $4::timestamptz[], $5::timestamptz[], $6::float8[], $7::float8[], $8::float8[], $9::numeric[],
              $10::numeric[], $11::int[]) WITH ORDINALITY AS x(s, et, xt, q, ep, xp, p, f, b, n)
       ON CONFLICT (run_id, trade_no) DO NOTHING`,
      [
        this.runId,
        no0,
        trades.map((t) => t.side),
        trades.map((t) => ms(t.entryTime)),
        trades.map((t) => ms(t.time)),
        trades.map((t) => t.qty),
        trades.map((t) => t.entryPrice),
        trades.map((t) => t.exitPrice),
        trades.map((t) => formatMoney(t.pnl)),
        trades.map((t) => formatMoney(t.fees)),
        trades.map((t) => t.bars),
      ],
    );
  }

  private async writeEquity(client: PoolClient, points: readonly Ev<'equity'>[]): Promise<void> {
    await client.query(
      `INSERT INTO equity_points (run_id, "time", cash, equity, position_value, unrealized_pnl, realized_pnl, fees, margin_used, position)
       SELECT $1, * FROM unnest($2::timestamptz[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[],
         $8::numeric[], $9::numeric[], $10::float8[])
       ON CONFLICT (run_id, "time") DO NOTHING`,
      [
        this.runId,
        points.map((p) => ms(p.time)),
        points.map((p) => formatMoney(p.cash)),
        points.map((p) => formatMoney(p.equity)),
        points.map((p) => formatMoney(p.positionValue)),
        points.map((p) => formatMoney(p.unrealizedPnl)),
        points.map((p) => formatMoney(p.realizedPnl)),
        points.map((p) => formatMoney(p.fees)),
        points.map((p) => formatMoney(p.marginUsed)),
        points.map((p) => p.position),
      ],
    );
  }
}

/** Streams COPY text lines, 5,000 to a chunk. */
async function copyLines(client: PoolClient, sql: string, lines: readonly string[]): Promise<void> {
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += 5_000) chunks.push(lines.slice(i, i + 5_000).join(''));
  await pipeline(Readable.from(chunks), client.query(copyFrom(sql)));
}
