// Live Alpaca trades and quotes for a set of stock symbols: one authenticated connection kept alive,
// reconnected with backoff; stream errors (auth failed, connection limit …) logged by their documented code.
import { ConfigError, tradeIdText, type BackoffOptions } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import { ReconnectingFeed } from '../reconnecting-feed.ts';
import { CONFIGURATION_ERRORS, LOUD_ERRORS, type AlpacaStreamError } from './alpaca-errors.ts';
import type { AlpacaFrame } from './alpaca-frame.ts';
import { AlpacaStreamConnection } from './alpaca-stream-connection.ts';
import { RecentTradeIds } from './alpaca-trade-dedupe.ts';

export type { TradeStreamSink } from '../reconnecting-feed.ts';

export interface AlpacaTradeStreamOptions {
  /** Feed URL, e.g. wss://stream.data.alpaca.markets/v2/iex */
  readonly url: string;
  readonly keyId: string;
  readonly secretKey: string;
  readonly symbols: readonly string[];
  readonly logger: Logger;
  /** Silence (no frame, no pong) after which a connection counts as dead. Default 30 s. */
  readonly staleAfterMs?: number;
  /** Longest the auth + subscribe handshake may take. Default 15 s (Alpaca allows 10 s to authenticate). */
  readonly handshakeTimeoutMs?: number;
  readonly reconnectBackoff?: BackoffOptions;
  /** Wait after an error only a settings or account change can fix (402, 405, 409, 410). Default 60 s. */
  readonly configurationErrorDelayMs?: number;
}

const DEFAULT_STALE_AFTER_MS = 30_000;
const DEFAULT_HANDSHAKE_TIMEOUT_MS = 15_000;
const DEFAULT_CONFIGURATION_ERROR_DELAY_MS = 60_000;
const MAX_KEPT_ERRORS = 100;

export class AlpacaTradeStream extends ReconnectingFeed<AlpacaStreamConnection> {
  private readonly symbols: readonly string[];
  private readonly dedupe = new RecentTradeIds();
  private lastError: AlpacaStreamError | undefined;
  /** The latest stream errors, oldest first (at most MAX_KEPT_ERRORS: a refused key retries for days). */
  readonly streamErrors: AlpacaStreamError[] = [];

  constructor(private readonly options: AlpacaTradeStreamOptions) {
    super({ venue: 'alpaca', logger: options.logger, reconnectBackoff: options.reconnectBackoff });
    const symbols = [...new Set(options.symbols.map((s) => s.trim().toUpperCase()).filter((s) => s.length > 0))];
    if (symbols.length === 0) throw new ConfigError('alpaca: no symbols to stream');
    this.symbols = symbols;
  }

  protected override connect(): AlpacaStreamConnection {
    this.lastError = undefined;
    return new AlpacaStreamConnection({
      url: this.options.url,
      keyId: this.options.keyId,
      secretKey: this.options.secretKey,
      symbols: this.symbols,
      staleAfterMs: this.options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
      handshakeTimeoutMs: this.options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      logger: this.options.logger,
      handlers: {
        onReady: (c) => this.guard(() => this.ready(c, { url: this.options.url, symbols: this.symbols }, 'stream subscribed')),
        onFrame: (c, frame) => this.guard(() => this.received(c, frame)),
        onStreamError: (c, error) => this.guard(() => this.streamError(c, error)),
        onClose: (c, reason) => this.guard(() => this.lost(c, reason, 'stream lost')),
      },
    });
  }

  private received(connection: AlpacaStreamConnection, frame: AlpacaFrame): void {
    if (connection !== this.connection) return;
    for (const r of frame.rejected) this.sink?.onRejected(r.reason, r.detail);
    const fresh = frame.trades.filter((t) => this.dedupe.accept(t.contractId, tradeIdText(t.tradeId) ?? ''));
    if (fresh.length > 0) this.sink?.onTrades(fresh);
    for (const quote of frame.quotes) this.sink?.onQuote(quote);
  }

  private streamError(connection: AlpacaStreamConnection, error: AlpacaStreamError): void {
    if (connection !== this.connection) return;
    this.lastError = error;
    this.streamErrors.push(error);
    if (this.streamErrors.length > MAX_KEPT_ERRORS) this.streamErrors.shift();
    const fields = { connection: connection.id, code: error.alpacaCode, msg: error.alpacaMessage };
    if (LOUD_ERRORS.has(error.alpacaCode)) this.options.logger.error(fields, error.message);
    else this.options.logger.warn(fields, error.message);
  }

  /** An error only a settings or account change can fix: waiting longer beats a fast retry loop. */
  protected override fixedReconnectDelayMs(): number | undefined {
    return this.lastError && CONFIGURATION_ERRORS.has(this.lastError.alpacaCode)
      ? (this.options.configurationErrorDelayMs ?? DEFAULT_CONFIGURATION_ERROR_DELAY_MS)
      : undefined;
  }
}
