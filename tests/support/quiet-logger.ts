// A pino logger for tests: silent unless LOG_LEVEL asks for more.
import { createLogger } from '../../core/src/node/logger.ts';

export const quietLogger = (name: string) => createLogger(name, process.env.LOG_LEVEL ?? 'silent');
