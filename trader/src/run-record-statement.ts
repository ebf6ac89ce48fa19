// A paper step's records in ONE statement: the rows RunRecordWriter.write stores (order events, orders,
// fills, round trips, equity points, the position, the run's status and watermark), the commands' `at`
// and the trade_update NOTIFY, as data-modifying CTEs of one autocommit statement — one round trip and
// one transaction (all or nothing, NOTIFY delivered on commit), where BEGIN, eight statements and COMMIT
// were ten. The text never changes (empty arrays insert nothing), so it is a named prepared statement:
// parsed and planned once per connection. Same ON CONFLICT guards as the writer; the run's status changes
// only while it is 'running' (an API stop in between wins).
import { channels, type TradeUpdateMessage } from '@barstream/core';
import { formatMoney, type OrderRecord } from '@barstream/core/trading';
import type pg from 'pg';
import { type Ev, type RunCounters, type RunStatus, type RunWrite, splitRunEvents, tradeUpdateMessage } from './run-events.ts';

/** The step these records continue. */
export interface StepContinuation {
  /** The run's watermark the records follow (null: none yet). The statement fails, storing nothing, when
   * strategy_runs.watermark differs: another writer moved it, or a database crash dropped the run's last
   * commits; the paper run then rebuilds from what is stored (PaperRun.step). */
  readonly after: number | null;
  /** Commands applied in this step: their `run_commands.at` becomes the run's key `at`. */
  readonly commands?: { readonly seqs: readonly number[]; readonly at: number };
  /** false: the commit does not wait for its WAL flush (settings trader.paper_synchronous_commit). */
  readonly synchronousCommit?: boolean;
}

const STATEMENT_NAME = 'trader-run-records-one-statement';

const ms = (t: number): string => new Date(t).toISOString();

/** Collects bind values; `p(value, 'type')` returns the typed placeholder. */
class Params {
  readonly values: unknown[] = [];
  p(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
  /** One array placeholder per column, for `unnest(…)`. */
  columns<R>(rows: readonly R[], columns: ReadonlyArray<readonly [(row: R) => unknown, string]>): string {
    return columns.map(([value, type]) => this.p(rows.map(value), `${type}[]`)).join(', ');
  }
}

/** Stores `w` (and the commands' `at`) in one statement; returns the trade_update it NOTIFYed. */
export async function writeRunRecordsInOneStatement(
  client: pg.ClientBase | pg.Pool,
  ids: { readonly runId: number; readonly contractId: string },
  counters: RunCounters,
  w: RunWrite,
  step: StepContinuation,
): Promise<TradeUpdateMessage> {
  const commands = step.commands ?? { seqs: [], at: 0 };
  const { orders, fills, trades, equity, position, halt } = splitRunEvents(w.events);
  const status: RunStatus = halt ? 'halted' : w.status;
  const message = tradeUpdateMessage(ids, status, w.through, { orders, fills, trades, equity });
  // The latest state of each order; created_at from its first record (kept when it exists already).
  const latest = new Map<string, { e: Ev<'order'>; created: number }>();
  for (const e of orders) {
    const prev = latest.get(e.order.clientOrderId);
    latest.set(e.order.clientOrderId, { e, created: prev?.created ?? e.time });
  }
  type Upsert = { e: Ev<'order'>; created: number };
  const order = (f: (o: OrderRecord) => unknown) => (r: Upsert) => f(r.e.order);

  const q = new Params();
  const run = q.p(ids.runId, 'bigint');
  const orderSeq = q.p(counters.orderSeq, 'bigint');
  const orderEvents = q.columns(orders, [
    [(e) => ms(e.time), 'timestamptz'],
    [(e) => e.order.clientOrderId, 'text'],
    [(e) => e.order.status, 'text'],
    [(e) => e.order.filledQty, 'float8'],
    [(e) => e.order.qty, 'float8'],
    [(e) => e.order.limitPrice, 'float8'],
    [(e) => e.order.stopPrice, 'float8'],
    [(e) => e.order.reason, 'text'],
    [(e) => e.order.revision, 'int'],
  ]);
  const orderRows = q.columns<Upsert>(
    [...latest.values()],
    [
      [order((o) => o.clientOrderId), 'text'],
      [order((o) => o.role), 'text'],
      [order((o) => o.side), 'text'],
      [order((o) => o.orderType), 'text'],
      [order((o) => o.tif), 'text'],
      [order((o) => o.qty), 'float8'],
      [order((o) => o.filledQty), 'float8'],
      [order((o) => o.limitPrice), 'float8'],
      [order((o) => o.stopPrice), 'float8'],
      [order((o) => o.status), 'text'],
      [order((o) => o.reason), 'text'],
      [order((o) => o.revision), 'int'],
      [order((o) => o.signalKey), 'text'],
      [(r) => ms(r.created), 'timestamptz'],
      [(r) => ms(r.e.time), 'timestamptz'],
    ],
  );
  const fillRows = q.columns(fills, [
    [(f) => f.fillId, 'text'],
    [(f) => f.clientOrderId, 'text'],
    [(f) => ms(f.time), 'timestamptz'],
    [(f) => f.side, 'text'],
    [(f) => f.qty, 'float8'],
    [(f) => f.price, 'float8'],
    [(f) => formatMoney(f.fee), 'numeric'],
    [(f) => formatMoney(f.realizedPnl), 'numeric'],
  ]);
  const tradeNo = q.p(counters.tradeNo, 'int');
  const tradeRows = q.columns(trades, [
    [(t) => t.side, 'text'],
    [(t) => ms(t.entryTime), 'timestamptz'],
    [(t) => ms(t.time), 'timestamptz'],
    [(t) => t.qty, 'float8'],
    [(t) => t.entryPrice, 'float8'],
    [(t) => t.exitPrice, 'float8'],
    [(t) => formatMoney(t.pnl), 'numeric'],
    [(t) => formatMoney(t.fees), 'numeric'],
    [(t) => t.bars, 'int'],
  ]);
  const equityRows = q.columns(equity, [
    [(p) => ms(p.time), 'timestamptz'],
    [(p) => formatMoney(p.cash), 'numeric'],
    [(p) => formatMoney(p.equity), 'numeric'],
    [(p) => formatMoney(p.positionValue), 'numeric'],
    [(p) => formatMoney(p.unrealizedPnl), 'numeric'],
    [(p) => formatMoney(p.realizedPnl), 'numeric'],
    [(p) => formatMoney(p.fees), 'numeric'],
    [(p) => formatMoney(p.marginUsed), 'numeric'],
    [(p) => p.position, 'float8'],
  ]);
  const contract = q.p(ids.contractId, 'text');
  const positionRow = q.columns(position ? [position] : [], [
    [(p) => p.qty, 'float8'],
    [(p) => p.avgPrice, 'float8'],
    [(p) => formatMoney(p.realizedPnl), 'numeric'],
    [(p) => ms(p.time), 'timestamptz'],
  ]);
  const commandAt = q.p(commands.at, 'float8');
  const commandSeqs = q.p(commands.seqs, 'int[]');
  const st = q.p(status, 'text');
  const through = q.p(w.through, 'float8');
  const progress = q.p(w.progress ?? null, 'float8');
  const haltReason = q.p(halt?.reason ?? null, 'text');
  const haltDetail = q.p(halt?.detail ?? null, 'text');
  const after = q.p(step.after, 'float8');
  const synchronousCommit = q.p(step.synchronousCommit === false ? 'off' : 'on', 'text');
  // The message names the status the run has after the write (a stop that won stays in it).
  const notify = `${q.p(channels.tradeUpdate.name, 'text')}, (${q.p(JSON.stringify(message), 'jsonb')} || jsonb_build_object('status', (SELECT status FROM run_in)))::text`;

  const text = `WITH
    order_events_in AS (
      INSERT INTO order_events (run_id, seq, "time", client_order_id, status, filled_qty, qty, limit_price, stop_price, reason, revision)
      SELECT ${run}, ${orderSeq} + n - 1, t, id, st, fq, qt, lp, sp, r, rv
        FROM unnest(${orderEvents}) WITH ORDINALITY AS x(t, id, st, fq, qt, lp, sp, r, rv, n)
      ON CONFLICT (run_id, seq) DO NOTHING),
    orders_in AS (
      INSERT INTO orders (run_id, client_order_id, role, side, order_type, tif, qty, filled_qty, limit_price, stop_price,
        status, reason, revision, signal_key, created_at, updated_at)
      SELECT ${run}, * FROM unnest(${orderRows})
      ON CONFLICT (run_id, client_order_id) DO UPDATE SET qty = EXCLUDED.qty, filled_qty = EXCLUDED.filled_qty,
        limit_price = EXCLUDED.limit_price, stop_price = EXCLUDED.stop_price, status = EXCLUDED.status,
        reason = EXCLUDED.reason, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at),
    fills_in AS (
      INSERT INTO fills (run_id, fill_id, client_order_id, "time", side, qty, price, fee, realized_pnl)
      SELECT ${run}, * FROM unnest(${fillRows})
      ON CONFLICT (run_id, fill_id) DO NOTHING),
    trades_in AS (
      INSERT INTO trades (run_id, trade_no, side, entry_time, exit_time, qty, entry_price, exit_price, pnl, fees, bars)
      SELECT ${run}, ${tradeNo} + n - 1, s, et, xt, qt, ep, xp, pn, fe, b
        FROM unnest(${tradeRows}) WITH ORDINALITY AS x(s, et, xt, qt, ep, xp, pn, fe, b, n)
      ON CONFLICT (run_id, trade_no) DO NOTHING),
    equity_in AS (
      INSERT INTO equity_points (run_id, "time", cash, equity, position_value, unrealized_pnl, realized_pnl, fees, margin_used, position)
      SELECT ${run}, * FROM unnest(${equityRows})
      ON CONFLICT (run_id, "time") DO NOTHING),
    position_in AS (
      INSERT INTO positions (run_id, contract_id, qty, avg_price, realized_pnl, updated_at)
      SELECT ${run}, ${contract}, * FROM unnest(${positionRow})
      ON CONFLICT (run_id, contract_id) DO UPDATE SET qty = EXCLUDED.qty, avg_price = EXCLUDED.avg_price,
        realized_pnl = EXCLUDED.realized_pnl, updated_at = EXCLUDED.updated_at),
    commands_at AS (
      UPDATE run_commands SET at = to_timestamp(${commandAt} / 1000) WHERE run_id = ${run} AND seq = ANY(${commandSeqs})),
    -- The status moves only from 'running': a stop the API committed after this step read its inputs wins
    -- (the records still go in: they are what the inputs up to the watermark produced). Under READ
    -- COMMITTED a write that waited on the stop's row lock evaluates these CASEs on the stopped row.
    run_in AS (
      UPDATE strategy_runs SET status = CASE WHEN status = 'running' THEN ${st} ELSE status END,
        watermark = COALESCE(to_timestamp(${through} / 1000), watermark),
        progress = COALESCE(${progress}, progress), halt_reason = COALESCE(${haltReason}, halt_reason),
        halt_detail = COALESCE(${haltDetail}, halt_detail),
        ended_at = CASE WHEN status = 'running' AND ${st} IN ('halted', 'completed', 'failed', 'stopped')
          THEN COALESCE(ended_at, now()) ELSE ended_at END,
        updated_at = now()
       WHERE run_id = ${run} AND watermark IS NOT DISTINCT FROM to_timestamp(${after} / 1000)
       RETURNING status)
    -- No row updated: fail the whole statement with a message naming both watermarks (a cast of text to
    -- int is SQL's way to raise; the subquery keeps the planner from evaluating it in advance).
    SELECT pg_notify(${notify}), (SELECT status FROM run_in) AS status, set_config('synchronous_commit', ${synchronousCommit}, true), CASE WHEN EXISTS (SELECT 1 FROM run_in) THEN 0 ELSE (
      SELECT COALESCE((SELECT 'paper run ' || run_id || ': stored watermark ' || COALESCE(watermark::text, 'none')
        FROM strategy_runs WHERE run_id = ${run}), 'paper run deleted') || ', the step continues '
        || COALESCE(to_timestamp(${after} / 1000)::text, 'none'))::int END AS watermark_check`;
  const { rows } = await client.query<{ status: RunStatus }>({ name: STATEMENT_NAME, text, values: q.values });
  counters.orderSeq += orders.length;
  counters.tradeNo += trades.length;
  return { ...message, status: rows[0]?.status ?? status };
}
