// Runs a service process: build it and start it — retrying with backoff while what it needs (the
// database, the provider's login) is not there yet — then stop it once on SIGTERM/SIGINT within a
// deadline. A configuration error is not retried: its message is printed and the process exits 1.
import { backoffDelay, sleep } from '../backoff.ts';
import { BarstreamError } from '../errors.ts';
import { createLogger, type Logger } from './logger.ts';

export interface StartStop {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** How long a stop may take before the process exits 1 anyway (BARSTREAM_STOP_DEADLINE_MS overrides
 * it: the test harness gives a loaded machine more room, where a clean stop can take longer). */
const DEFAULT_STOP_DEADLINE_MS = 4_000;
function stopDeadlineMs(): number {
  const ms = Number(process.env.BARSTREAM_STOP_DEADLINE_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_STOP_DEADLINE_MS;
}
/** Start attempts back off like reconnects after start, up to this between attempts. */
const MAX_RETRY_MS = 30_000;

const START_LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** A failure no retry can fix: the configuration must change first. */
function isConfigError(err: unknown): err is BarstreamError {
  return err instanceof BarstreamError && err.code === 'invalid_config';
}

export async function runService(name: string, build: () => Promise<{ logger: Logger; service: StartStop }>): Promise<void> {
  // Config (and with it the configured log level) may be what failed, so the start phase reads
  // LOG_LEVEL itself — the one variable that decides how much a failed start prints.
  const debug = process.env.LOG_LEVEL === 'debug';
  // An empty or unknown LOG_LEVEL must not crash the start (pino throws on it): the config check
  // reports it by name once the settings are read.
  const envLevel = process.env.LOG_LEVEL ?? '';
  const startLog = createLogger(name, START_LOG_LEVELS.has(envLevel) ? envLevel : 'info');
  const stopping = new AbortController();
  let current: { logger: Logger; service: StartStop } | undefined;
  let running = false;

  const shutdown = (signal: string): void => {
    if (stopping.signal.aborted) return;
    stopping.abort();
    const logger = current?.logger ?? startLog;
    logger.info({ signal }, running ? 'stopping' : 'stopping before the start completed');
    const deadline = setTimeout(() => {
      logger.error('stop deadline passed; exiting');
      process.exit(1);
    }, stopDeadlineMs());
    (current?.service.stop() ?? Promise.resolve()).then(
      () => {
        clearTimeout(deadline);
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err: (err as Error).message }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => (current?.logger ?? startLog).error({ err: String(err) }, 'unhandled rejection'));

  for (let attempt = 1; !stopping.signal.aborted; attempt++) {
    try {
      current = await build();
      if (stopping.signal.aborted) return; // shutdown() stops what was built
      await current.service.start();
      if (stopping.signal.aborted) return;
      running = true;
      return;
    } catch (err) {
      if (stopping.signal.aborted) return;
      if (isConfigError(err)) {
        console.error(`${name}: ${err.message}`);
        if (debug) console.error(err.stack);
        process.exit(1);
      }
      // A service that failed half-way may hold ports and connections: release them first.
      const failed = current;
      current = undefined;
      await failed?.service.stop().catch(() => undefined);
      const retryInMs = backoffDelay(attempt, { initialMs: 500, maxMs: MAX_RETRY_MS });
      startLog.warn(
        { attempt, cause: describe(err), retryInMs, ...(debug ? { stack: (err as Error).stack } : {}) },
        'start failed; retrying',
      );
      await sleep(retryInMs, stopping.signal);
    }
  }
}

/** The error's message, with its cause's when it wraps one (pg and fetch errors often do). */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  // AggregateError (a refused connection to every address of a host) has an empty message.
  const inner = err instanceof AggregateError && err.errors[0] instanceof Error ? err.errors[0].message : '';
  return `${err.message || inner || err.name}${cause}`;
}
