// @barstream/core/node: the I/O edge shared by services (config file, logging, PostgreSQL).
export * from './node/load-config.ts';
export * from './node/logger.ts';
export * from './node/db-pool.ts';
export * from './node/database-url.ts';
export * from './node/notification-listener.ts';
export * from './node/metrics-server.ts';
export * from './node/run-service.ts';
export * from './node/notify.ts';
export * from './node/binary-copy-writer.ts';
export * from './node/pg-binary-format.ts';
export * from './node/copy-bars-binary.ts';
export * from './node/copy-format.ts';
export * from './node/database-probe.ts';
export * from './node/command-line.ts';
