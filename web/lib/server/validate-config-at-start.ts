// The web server's start-up check of the configuration (called from instrumentation.ts).
import 'server-only';
import { webConfig } from './config.ts';

/** Loads the settings; a ConfigError prints its lines (the stack only with LOG_LEVEL=debug) and exits 1. */
export function validateConfigAtStart(): void {
  try {
    webConfig();
  } catch (err) {
    // ConfigError's code; compared by value, as this module and core may be bundled apart.
    if ((err as { code?: unknown }).code !== 'invalid_config') throw err;
    console.error(process.env.LOG_LEVEL === 'debug' ? (err as Error).stack : (err as Error).message);
    process.exit(1);
  }
}
