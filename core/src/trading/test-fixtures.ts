// Test fixtures: the two example runs (trend-start on MES with SL/TP in ticks; ema_cross on a crypto
// pair) as their YAML files would parse, and short-hand builders for bars and inputs.
import type { OhlcBar } from '../bar.ts';
import type { EngineEvent, EngineInput } from './engine-events.ts';
import { runEngine } from './engine-run.ts';
import { parseStrategyRunConfig, type StrategyRunConfig, type StrategyRunConfigInput } from './run-config-schema.ts';

/** config/strategies/mes-trend-start.yaml: long on uptrend start, short on downtrend start, SL 8 / TP 16 ticks. */
export const MES_TREND_START: StrategyRunConfigInput = {
  id: 'mes-trend-start',
  kind: 'backtest',
  from: '2024-01-02T00:00:00Z',
  to: '2024-03-01T00:00:00Z',
  contract: 'CON.F.US.MES.H24',
  timeframe: '5m',
  signals: { analyzer_id: 'mes_trend', strategy: 'trend_start', map: { uptrend_start: 'entry_long', downtrend_start: 'entry_short' } },
  instrument: { kind: 'future', tick_size: 0.25, tick_value: 1.25, initial_margin: 1500 },
  sizing: { type: 'fixed', qty: 1 },
  exits: { stop_loss: { ticks: 8 }, take_profit: [{ ticks: 16 }], on_opposite_signal: 'reverse' },
  fees: { per_contract: 0.62 },
  slippage: { ticks: 1 },
  risk: { max_position: 2, max_daily_loss: 500, flatten_on_halt: true },
  starting_capital: 10_000,
};

/** config/strategies/btc-ema-cross.yaml: ema_cross on BTCUSDT, 10% of equity, SL 1%, TP ladder, 10 bps. */
export const BTC_EMA_CROSS: StrategyRunConfigInput = {
  id: 'btc-ema-cross',
  kind: 'paper',
  contract: 'BTCUSDT',
  timeframe: '1h',
  signals: { analyzer_id: 'btc_ema', strategy: 'ema_cross_rsi', map: { buy: 'entry_long', sell: 'entry_short' } },
  instrument: { kind: 'crypto', tick_size: 0.01, qty_step: 0.00001 },
  sizing: { type: 'percent_of_equity', percent: 10 },
  exits: {
    stop_loss: { percent: 1 },
    take_profit: [
      { percent: 1, fraction: 0.5 },
      { percent: 2, fraction: 0.5 },
    ],
    time_stop_bars: 48,
  },
  fees: { bps: 10 },
  slippage: { bps: 1 },
  starting_capital: 10_000,
};

export function config(base: StrategyRunConfigInput, overrides: Partial<Record<string, unknown>> = {}): StrategyRunConfig {
  return parseStrategyRunConfig({ ...base, ...overrides });
}

/** A minimal futures run (tick 0.25, $1.25/tick, no fees, no slippage) for order-type tests. */
export function plainFuture(overrides: Partial<Record<string, unknown>> = {}): StrategyRunConfig {
  return config(
    {
      ...MES_TREND_START,
      exits: { on_opposite_signal: 'exit' },
      fees: { per_contract: 0 },
      slippage: { ticks: 0 },
      risk: { flatten_on_halt: true },
    },
    overrides,
  );
}

export const T0 = Date.parse('2024-01-02T15:00:00Z');
export const MINUTE = 60_000;

/** Bar `i` of a one-minute series: [open, high, low, close], volume 1000 unless given. */
export function bar(i: number, ohlc: readonly [number, number, number, number], volume = 1000): EngineInput {
  const b: OhlcBar = { time: T0 + i * MINUTE, open: ohlc[0], high: ohlc[1], low: ohlc[2], close: ohlc[3], volume };
  return { kind: 'bar', bar: b };
}

/** A signal arriving after bar `i` closed. */
export function signal(i: number, type: string, key = `s${i}`): EngineInput {
  return { kind: 'signal', key, type, time: T0 + (i + 1) * MINUTE - 1 };
}

export function run(cfg: StrategyRunConfig, inputs: readonly EngineInput[]): EngineEvent[] {
  return runEngine(cfg, { runId: 'r' }, inputs).events;
}

export function fills(events: readonly EngineEvent[]): Extract<EngineEvent, { type: 'fill' }>[] {
  return events.filter((e): e is Extract<EngineEvent, { type: 'fill' }> => e.type === 'fill');
}

export function ofType<T extends EngineEvent['type']>(events: readonly EngineEvent[], type: T): Extract<EngineEvent, { type: T }>[] {
  return events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
}

/** A command arriving after bar `i` closed. */
export function command(i: number, cmd: Extract<EngineInput, { kind: 'command' }>['command']): EngineInput {
  return { kind: 'command', time: T0 + (i + 1) * MINUTE - 1, command: cmd };
}

/** The last record of each order, by client_order_id. */
export function finalOrders(events: readonly EngineEvent[]): Record<string, Extract<EngineEvent, { type: 'order' }>['order']> {
  const out: Record<string, Extract<EngineEvent, { type: 'order' }>['order']> = {};
  for (const e of events) if (e.type === 'order') out[e.order.clientOrderId] = e.order;
  return out;
}
