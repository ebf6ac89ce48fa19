// Live Binance trades for a set of symbols: one combined stream kept alive, reconnected and rotated before 24 h.
import { ConfigError, backoffDelay, type BackoffOptions, type Trade } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import type { ProviderSink } from '../provider.ts';
import { BinanceStreamConnection } from './binance-stream-connection.ts';
import type { StreamEvent } from './binance-stream-message.ts';
import { HighestTradeIdFilter } from '../trade-id-dedupe.ts';

export type TradeStreamSink = Pick<ProviderSink, 'onTrades' | 'onRejected' | 'onConnectionChange'>;

export interface BinanceTradeStreamOptions {
  /** e.g. wss://stream.binance.com:9443 */
  readonly wsUrl: string;
  readonly symbols: readonly string[];
  /** Binance cuts a connection at 24 h: a successor is opened this long after a connection opened. */
  readonly rotateAfterMs: number;
  /** Binance pings every 20 s; silence this long means the connection is dead. Default 60 s. */
  readonly staleAfterMs?: number;
  /** Longest a rotation keeps both connections when the streams do not meet (a quiet market). Default 10 s. */
  readonly rotationOverlapMs?: number;
  readonly reconnectBackoff?: BackoffOptions;
  readonly logger: Logger;
}

/** Streams per connection Binance allows. */
const MAX_STREAMS = 1024;
const DEFAULT_STALE_AFTER_MS = 60_000;
const DEFAULT_ROTATION_OVERLAP_MS = 10_000;

/** Uppercase, unique, within one connection's limit. */
function symbolSet(symbols: readonly string[]): ReadonlySet<string> {
  const set = new Set(symbols.map((s) => s.trim().toUpperCase()).filter((s) => s.length > 0));
  if (set.size === 0) throw new ConfigError('binance: no symbols to stream');
  if (set.size > MAX_STREAMS) throw new ConfigError(`binance: ${set.size} symbols, one connection carries at most ${MAX_STREAMS}`);
  return set;
}

export class BinanceTradeStream {
  private url: string;
  private symbols: ReadonlySet<string>;
  private readonly dedupe = new HighestTradeIdFilter();
  private sink: TradeStreamSink | undefined;
  /** The connection whose trades reach the sink. */
  private primary: BinanceStreamConnection | undefined;
  /** During a rotation: the new connection, its trades held back until the two streams meet. */
  private successor: BinanceStreamConnection | undefined;
  private held: { trade: Trade; tradeId: number }[] = [];
  /** Per symbol, the first trade id the successor delivered. */
  private successorFirstId = new Map<string, number>();
  private reported = false;
  private reconnectAttempt = 0;
  private rotationAttempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private rotateTimer: NodeJS.Timeout | undefined;
  private overlapTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: BinanceTradeStreamOptions) {
    this.symbols = symbolSet(options.symbols);
    this.url = this.urlFor(this.symbols);
  }

  /** The symbols streamed now. */
  get streaming(): readonly string[] {
    return [...this.symbols];
  }

  /**
   * Streams this set of symbols from now on (the watchlist added or removed one). A combined stream's
   * symbols are fixed by its URL, so a successor connection with the new set takes over from the
   * current one exactly as a rotation does: no gap, no duplicate for the symbols both carry.
   */
  setSymbols(symbols: readonly string[]): void {
    const next = symbolSet(symbols);
    if (next.size === this.symbols.size && [...next].every((s) => this.symbols.has(s))) return;
    this.symbols = next;
    this.url = this.urlFor(next);
    if (!this.sink) return;
    if (this.successor) this.dropSuccessor('the symbol set changed');
    // Without a primary a reconnect is pending: it opens the new URL.
    if (this.primary) this.rotate();
  }

  private urlFor(symbols: ReadonlySet<string>): string {
    const streams = [...symbols].map((s) => `${s.toLowerCase()}@trade`).join('/');
    return `${this.options.wsUrl.replace(/\/+$/, '')}/stream?streams=${streams}`;
  }

  /** Opens the first connection; from here on it reconnects by itself until stop(). */
  start(sink: TradeStreamSink): void {
    if (this.sink) return;
    this.sink = sink;
    this.primary = this.connect();
  }

  async stop(): Promise<void> {
    const connections = [this.primary, this.successor];
    this.sink = undefined;
    this.primary = undefined;
    this.successor = undefined;
    this.held = [];
    this.successorFirstId = new Map();
    this.reported = false;
    this.reconnectAttempt = 0;
    for (const timer of [this.reconnectTimer, this.rotateTimer, this.overlapTimer]) clearTimeout(timer);
    await Promise.all(connections.map((c) => c?.close() ?? Promise.resolve()));
  }

  private connect(): BinanceStreamConnection {
    return new BinanceStreamConnection({
      url: this.url,
      symbols: this.symbols,
      staleAfterMs: this.options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
      logger: this.options.logger,
      handlers: {
        onOpen: (c) => this.guard(() => this.opened(c)),
        onEvent: (c, event) => this.guard(() => this.received(c, event)),
        onClose: (c, reason) => this.guard(() => this.lost(c, reason)),
      },
    });
  }

  private opened(connection: BinanceStreamConnection): void {
    if (connection === this.primary) {
      this.options.logger.info({ connection: connection.id, url: this.url }, 'binance: trade stream connected');
      this.scheduleRotation(this.options.rotateAfterMs);
      if (!this.reported) {
        this.reported = true;
        this.sink?.onConnectionChange(true);
      }
    } else if (connection === this.successor) {
      clearTimeout(this.overlapTimer);
      this.overlapTimer = setTimeout(
        () => this.guard(() => this.promote('overlap elapsed')),
        this.options.rotationOverlapMs ?? DEFAULT_ROTATION_OVERLAP_MS,
      );
    }
  }

  private received(connection: BinanceStreamConnection, event: StreamEvent): void {
    const isPrimary = connection === this.primary;
    if (!isPrimary && connection !== this.successor) return;
    if (isPrimary) this.reconnectAttempt = 0;
    switch (event.kind) {
      case 'rejected':
        this.sink?.onRejected(event.reason, event.detail);
        return;
      case 'shutdown':
        this.options.logger.warn({ connection: connection.id }, 'binance: serverShutdown received');
        if (isPrimary) this.rotate();
        else this.dropSuccessor('successor announced serverShutdown');
        return;
      case 'trade': {
        const { trade, tradeId } = event;
        const symbol = trade.contractId;
        if (isPrimary) {
          if (this.dedupe.accept(symbol, tradeId)) this.sink?.onTrades([trade]);
          const first = this.successorFirstId.get(symbol);
          if (first !== undefined && tradeId >= first) this.promote('streams met');
          return;
        }
        this.held.push(event);
        if (!this.successorFirstId.has(symbol)) this.successorFirstId.set(symbol, tradeId);
        const highest = this.dedupe.highestOf(symbol);
        if (highest !== undefined && highest >= (this.successorFirstId.get(symbol) ?? tradeId)) this.promote('streams met');
        return;
      }
    }
  }

  private lost(connection: BinanceStreamConnection, reason: string): void {
    if (connection === this.successor) {
      this.dropSuccessor(`successor ${reason}`);
      return;
    }
    if (connection !== this.primary) return;
    this.options.logger.warn({ connection: connection.id, reason }, 'binance: trade stream lost');
    this.primary = undefined;
    clearTimeout(this.rotateTimer);
    if (this.successor?.open) {
      // Rotation already running: the successor takes over without a gap.
      this.promote('primary lost');
      return;
    }
    if (this.successor) this.dropSuccessor('primary lost before the successor opened');
    if (this.reported) {
      this.reported = false;
      this.sink?.onConnectionChange(false);
    }
    const delay = backoffDelay(++this.reconnectAttempt, this.options.reconnectBackoff);
    this.reconnectTimer = setTimeout(() => {
      if (this.sink) this.primary = this.connect();
    }, delay);
  }

  /** Starts a rotation: a successor connection overlapping the primary. */
  private rotate(): void {
    if (!this.sink || !this.primary || this.successor) return;
    clearTimeout(this.rotateTimer);
    this.options.logger.info({ connection: this.primary.id }, 'binance: rotating to a new stream connection');
    this.successor = this.connect();
  }

  /** The successor becomes the primary: the old one is closed, held trades it had not delivered are released. */
  private promote(why: string): void {
    const next = this.successor;
    if (!next) return;
    const old = this.primary;
    this.options.logger.info({ from: old?.id, to: next.id, why }, 'binance: stream rotated');
    clearTimeout(this.overlapTimer);
    this.successor = undefined;
    this.primary = next;
    this.rotationAttempt = 0;
    void old?.close();
    const fresh = this.held.filter((h) => this.dedupe.accept(h.trade.contractId, h.tradeId)).map((h) => h.trade);
    this.held = [];
    this.successorFirstId = new Map();
    if (fresh.length > 0) this.sink?.onTrades(fresh);
    this.scheduleRotation(this.options.rotateAfterMs);
  }

  private dropSuccessor(reason: string): void {
    const successor = this.successor;
    if (!successor) return;
    this.options.logger.warn({ connection: successor.id, reason }, 'binance: rotation failed, the current connection stays');
    clearTimeout(this.overlapTimer);
    this.successor = undefined;
    this.held = [];
    this.successorFirstId = new Map();
    void successor.close();
    if (this.primary) this.scheduleRotation(backoffDelay(++this.rotationAttempt, this.options.reconnectBackoff));
  }

  private scheduleRotation(afterMs: number): void {
    clearTimeout(this.rotateTimer);
    this.rotateTimer = setTimeout(() => this.guard(() => this.rotate()), afterMs);
  }

  /** A bug in here or in the sink must not take the service down with an uncaught exception. */
  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.options.logger.error({ err: error }, 'binance: trade stream handler failed');
    }
  }
}
