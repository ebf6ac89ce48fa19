// The engine's inputs (closed bars, trades, quotes, signals, commands) and outputs (order, fill,
// position, trade, equity, halt): every output is a record a service can store as one row.
import type { OhlcBar } from '../bar.ts';
import type { Money } from './money.ts';
import type { OrderRole, OrderSide, OrderStatus, OrderType, TimeInForce } from './order.ts';

/** A manual order (API / tests): prices in the currency, quantity in contracts / coins. */
export interface ManualOrder {
  readonly clientOrderId: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly qty: number;
  readonly limitPrice?: number;
  readonly stopPrice?: number;
  readonly tif?: TimeInForce;
}

export type EngineCommand =
  | { readonly type: 'emergency_stop'; readonly reason?: string; readonly flatten?: boolean }
  | { readonly type: 'submit'; readonly order: ManualOrder }
  | { readonly type: 'cancel'; readonly clientOrderId: string }
  | {
      readonly type: 'replace';
      readonly clientOrderId: string;
      readonly qty?: number;
      readonly limitPrice?: number;
      readonly stopPrice?: number;
    };

export type EngineInput =
  /** A closed bar of the run's contract and timeframe (bar.time = bucket start, epoch ms). */
  | { readonly kind: 'bar'; readonly bar: OhlcBar }
  | { readonly kind: 'trade'; readonly time: number; readonly price: number; readonly size: number }
  | { readonly kind: 'quote'; readonly time: number; readonly bid: number; readonly ask: number }
  /** A detected signal; `key` is stable across restarts (e.g. the detected_signals id) and names its orders. */
  | { readonly kind: 'signal'; readonly key: string; readonly type: string; readonly time: number; readonly price?: number | null }
  | { readonly kind: 'command'; readonly time: number; readonly command: EngineCommand };

/** An order as stored: one row per change (status, fill progress, replace). */
export interface OrderRecord {
  readonly clientOrderId: string;
  readonly role: OrderRole;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly tif: TimeInForce;
  readonly qty: number;
  readonly filledQty: number;
  readonly limitPrice: number | null;
  readonly stopPrice: number | null;
  readonly status: OrderStatus;
  readonly reason: string | null;
  readonly revision: number;
  readonly signalKey: string | null;
}

export type EngineEvent =
  | { readonly type: 'order'; readonly time: number; readonly order: OrderRecord }
  | {
      readonly type: 'fill';
      readonly time: number;
      /** `<clientOrderId>#<n>`: stable, so a replayed fill is recognised as already stored. */
      readonly fillId: string;
      readonly clientOrderId: string;
      readonly side: OrderSide;
      readonly qty: number;
      readonly price: number;
      readonly fee: Money;
      /** Realized PnL this fill closed (before fees). */
      readonly realizedPnl: Money;
    }
  | {
      readonly type: 'position';
      readonly time: number;
      /** Signed net quantity. */
      readonly qty: number;
      /** Average entry price of the open lots, null when flat. */
      readonly avgPrice: number | null;
      readonly realizedPnl: Money;
    }
  | {
      /** A round trip: from flat (or a reversal) back to flat (or the next reversal). */
      readonly type: 'trade';
      readonly time: number;
      readonly side: 'long' | 'short';
      readonly entryTime: number;
      readonly qty: number;
      readonly entryPrice: number;
      readonly exitPrice: number;
      /** Realized PnL net of every fee paid in the round trip. */
      readonly pnl: Money;
      readonly fees: Money;
      readonly bars: number;
    }
  | {
      readonly type: 'equity';
      /** The closed bar's time. */
      readonly time: number;
      readonly cash: Money;
      readonly equity: Money;
      readonly positionValue: Money;
      readonly unrealizedPnl: Money;
      readonly realizedPnl: Money;
      readonly fees: Money;
      readonly marginUsed: Money;
      readonly position: number;
    }
  | { readonly type: 'halt'; readonly time: number; readonly reason: HaltReason; readonly detail: string };

export type HaltReason = 'max_position' | 'max_open_orders' | 'max_daily_loss' | 'max_drawdown' | 'emergency_stop';
