// Runs a service process: build it, start it, stop it once on SIGTERM/SIGINT within a deadline.
import type { Logger } from './logger.ts';

export interface StartStop {
  start(): Promise<void>;
  stop(): Promise<void>;
}

const STOP_DEADLINE_MS = 4_000;

export async function runService(name: string, build: () => Promise<{ logger: Logger; service: StartStop }>): Promise<void> {
  let built: { logger: Logger; service: StartStop };
  try {
    built = await build();
    await built.service.start();
  } catch (err) {
    console.error(`${name}: failed to start: ${(err as Error).message}`);
    process.exit(1);
  }
  const { logger, service } = built;
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const deadline = setTimeout(() => {
      logger.error('stop deadline passed; exiting');
      process.exit(1);
    }, STOP_DEADLINE_MS);
    service.stop().then(() => {
      clearTimeout(deadline);
      process.exit(0);
    }, (err: unknown) => {
      logger.error({ err: (err as Error).message }, 'stop failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err: String(err) }, 'unhandled rejection'));
}
