// Routes @microsoft/signalr's log lines into pino, quietly, with session tokens scrubbed from URLs.
import { LogLevel, type ILogger } from '@microsoft/signalr';
import type { Logger } from '@barstream/core/node';

/** SignalR logs the hub URL, which carries ?access_token=…: never let a token reach the logs. */
const TOKEN_IN_URL = /(access_token=)[^&\s'"]+/gi;

export class SignalRLogAdapter implements ILogger {
  constructor(private readonly logger: Logger) {}

  log(level: LogLevel, message: string): void {
    const text = message.replace(TOKEN_IN_URL, '$1[redacted]');
    // Connection loss and recovery are reported by the hub wrapper itself; the library's own
    // narration of them is detail, so only its warnings (e.g. an event without a handler) stand out.
    if (level >= LogLevel.Warning && level !== LogLevel.None) this.logger.warn({ source: 'signalr' }, text);
    else this.logger.trace({ source: 'signalr' }, text);
  }
}
