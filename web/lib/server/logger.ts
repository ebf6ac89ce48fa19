// The web process's structured logger; usable even when the settings themselves failed to load.
import 'server-only';
import { createLogger, type Logger } from '@barstream/core/node';
import { webConfig } from './config.ts';

let logger: Logger | undefined;

export function webLogger(): Logger {
  if (!logger) {
    let level = 'info';
    try {
      level = webConfig().settings.logging.level;
    } catch {
      // A broken config is itself what we are about to log; fall back to the default level.
    }
    logger = createLogger('web', level);
  }
  return logger;
}
