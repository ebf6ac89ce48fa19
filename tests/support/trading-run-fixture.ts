// A strategy run's rows made by the pure engine, as the trader stores them: the bars (ohlc_bars),
// the strategy_runs row, and every record runEngine emitted (orders in their latest state, order
// events, fills, the position, trades, equity points) plus the metricsReport JSON.
import type pg from 'pg';
import type { OhlcBar } from '../../core/src/bar.ts';
import type { EngineEvent, EngineInput, OrderRecord } from '../../core/src/trading/engine-events.ts';
import { runEngine } from '../../core/src/trading/engine-run.ts';
import { metricsReport, type MetricsReport } from '../../core/src/trading/metrics-report.ts';
import { formatMoney, toMoney } from '../../core/src/trading/money.ts';
import type { StrategyRunConfig } from '../../core/src/trading/run-config-schema.ts';
import { parseTimeframe } from '../../core/src/timeframe.ts';

export interface EngineRunFixture {
  readonly runId: number;
  readonly events: EngineEvent[];
  readonly report: MetricsReport;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Stores `bars` as closed bars of `contractId` and `timeframe`, in one statement. */
export async function insertBars(
  client: Pick<pg.ClientBase, 'query'>,
  contractId: string,
  timeframe: string,
  bars: readonly OhlcBar[],
): Promise<void> {
  const tf = parseTimeframe(timeframe);
  await client.query(
    `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
     SELECT $1, to_timestamp(t / 1000.0), o, h, l, c, v, $2, $3, $4, true
     FROM unnest($5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[]) AS b(t, o, h, l, c, v)`,
    [
      contractId,
      tf.unit,
      tf.value,
      timeframe,
      bars.map((b) => b.time),
      bars.map((b) => b.open),
      bars.map((b) => b.high),
      bars.map((b) => b.low),
      bars.map((b) => b.close),
      bars.map((b) => b.volume),
    ],
  );
}

/** Signals every `every` bars, alternating long and short entries, each arriving after its bar closed. */
export function alternatingSignals(bars: readonly OhlcBar[], stepMs: number, every: number): EngineInput[] {
  const inputs: EngineInput[] = [];
  bars.forEach((b, i) => {
    inputs.push({ kind: 'bar', bar: b });
    if (i > 0 && i % every === 0) {
      const type = (i / every) % 2 === 1 ? 'uptrend_start' : 'downtrend_start';
      inputs.push({ kind: 'signal', key: `sig${i}`, type, time: b.time + stepMs - 1 });
    }
  });
  return inputs;
}

/** A strategy_runs row for `config`, as POST /api/backtests or /api/runs writes it (status given). */
export async function insertRunRow(
  client: pg.Client,
  config: StrategyRunConfig,
  run: { readonly status: string; readonly strategyId?: string | null },
): Promise<number> {
  const inserted = await client.query<{ run_id: string }>(
    `INSERT INTO strategy_runs (strategy_id, kind, status, config, contract_id, timeframe, fill_model, range_from, range_to, starting_capital)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING run_id`,
    [
      run.strategyId ?? null,
      config.kind,
      run.status,
      JSON.stringify(config),
      config.contract,
      config.timeframe,
      config.fill_model.type,
      config.kind === 'backtest' ? config.from : null,
      config.kind === 'backtest' ? config.to : null,
      formatMoney(toMoney(config.starting_capital, 'starting_capital')),
    ],
  );
  return Number(inserted.rows[0]!.run_id);
}

export async function insertEngineRun(
  client: pg.Client,
  config: StrategyRunConfig,
  inputs: readonly EngineInput[],
  run: { readonly status: string; readonly strategyId?: string | null; readonly keepReport?: boolean; readonly runId?: number },
): Promise<EngineRunFixture> {
  const runId = run.runId ?? (await insertRunRow(client, config, run));
  const { events } = runEngine(config, { runId: String(runId) }, inputs);
  const report = metricsReport(events, { startingCapital: toMoney(config.starting_capital, 'starting_capital') });

  const orders = new Map<string, { first: number; last: number; order: OrderRecord }>();
  let seq = 0;
  let tradeNo = 0;
  for (const e of events) {
    switch (e.type) {
      case 'order': {
        const o = e.order;
        orders.set(o.clientOrderId, { first: orders.get(o.clientOrderId)?.first ?? e.time, last: e.time, order: o });
        await client.query(
          `INSERT INTO order_events (run_id, seq, "time", client_order_id, status, filled_qty, qty, limit_price, stop_price, reason, revision)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [runId, ++seq, iso(e.time), o.clientOrderId, o.status, o.filledQty, o.qty, o.limitPrice, o.stopPrice, o.reason, o.revision],
        );
        break;
      }
      case 'fill':
        await client.query(
          `INSERT INTO fills (run_id, fill_id, client_order_id, "time", side, qty, price, fee, realized_pnl) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [runId, e.fillId, e.clientOrderId, iso(e.time), e.side, e.qty, e.price, formatMoney(e.fee), formatMoney(e.realizedPnl)],
        );
        break;
      case 'position':
        await client.query(
          `INSERT INTO positions (run_id, contract_id, qty, avg_price, realized_pnl, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (run_id, contract_id) DO UPDATE SET qty = EXCLUDED.qty, avg_price = EXCLUDED.avg_price,
             realized_pnl = EXCLUDED.realized_pnl, updated_at = EXCLUDED.updated_at`,
          [runId, config.contract, e.qty, e.avgPrice, formatMoney(e.realizedPnl), iso(e.time)],
        );
        break;
      case 'trade':
        await client.query(
          `INSERT INTO trades (run_id, trade_no, side, entry_time, exit_time, qty, entry_price, exit_price, pnl, fees, bars)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            runId,
            ++tradeNo,
            e.side,
            iso(e.entryTime),
            iso(e.time),
            e.qty,
            e.entryPrice,
            e.exitPrice,
            formatMoney(e.pnl),
            formatMoney(e.fees),
            e.bars,
          ],
        );
        break;
      case 'equity':
        await client.query(
          `INSERT INTO equity_points (run_id, "time", cash, equity, position_value, unrealized_pnl, realized_pnl, fees, margin_used, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            runId,
            iso(e.time),
            formatMoney(e.cash),
            formatMoney(e.equity),
            formatMoney(e.positionValue),
            formatMoney(e.unrealizedPnl),
            formatMoney(e.realizedPnl),
            formatMoney(e.fees),
            formatMoney(e.marginUsed),
            e.position,
          ],
        );
        break;
      case 'halt':
        await client.query(`UPDATE strategy_runs SET halt_reason = $2, halt_detail = $3 WHERE run_id = $1`, [runId, e.reason, e.detail]);
        break;
    }
  }
  for (const { first, last, order: o } of orders.values()) {
    await client.query(
      `INSERT INTO orders (run_id, client_order_id, role, side, order_type, tif, qty, filled_qty, limit_price, stop_price, status, reason, revision, signal_key, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        runId,
        o.clientOrderId,
        o.role,
        o.side,
        o.orderType,
        o.tif,
        o.qty,
        o.filledQty,
        o.limitPrice,
        o.stopPrice,
        o.status,
        o.reason,
        o.revision,
        o.signalKey,
        iso(first),
        iso(last),
      ],
    );
  }
  if (run.keepReport !== false) {
    await client.query(`UPDATE strategy_runs SET report = $2, progress = 1 WHERE run_id = $1`, [runId, JSON.stringify(report)]);
  }
  return { runId, events, report };
}
