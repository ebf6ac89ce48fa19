// @barstream/core: pure domain code shared by every service and web (no I/O here).
export * from './errors.ts';
export * from './time.ts';
export * from './timeframe.ts';
export * from './session-calendar.ts';
export * from './bar.ts';
export * from './bar-aggregator.ts';
export * from './channels.ts';
export * from './tick-payloads.ts';
export * from './schemas/tick.ts';
export * from './schemas/bar-message.ts';
export * from './schemas/signal-message.ts';
export * from './schemas/import-message.ts';
export * from './config/settings-schema.ts';
export * from './config/contracts.ts';
export * from './schemas/ws-protocol.ts';
