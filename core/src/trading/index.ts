// The trading engine's public surface: run config, engine, events, money, metrics.
export * from './run-config-schema.ts';
export * from './trading-engine.ts';
export * from './engine-events.ts';
export * from './engine-run.ts';
export * from './money.ts';
export * from './metrics-report.ts';
export * from './instrument.ts';
export * from './trading-error.ts';
export type { OrderRole, OrderSide, OrderStatus, OrderType, TimeInForce } from './order.ts';
export * from './engine-command-schema.ts';
export * from './session-clock.ts';
export type { Account } from './account.ts';
export type { PositionBook } from './position-book.ts';
