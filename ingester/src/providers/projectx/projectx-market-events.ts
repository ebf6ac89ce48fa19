// Turns raw market hub events into core Trades and merged Quotes; bad input goes to onRejected, never throws.
import type { Trade, TradeSide } from '@barstream/core';
import type { ProviderSink, Quote } from '../provider.ts';
import { hubContractIdSchema, hubQuoteSchema, hubTradeSchema, type HubQuote } from './projectx-hub-schemas.ts';
import { parseProjectXTimestamp } from './projectx-timestamp.ts';
import { describeZodError } from './projectx-schemas.ts';

export type MarketEventSink = Pick<ProviderSink, 'onTrades' | 'onQuote' | 'onRejected'>;

interface MergedQuote {
  time?: number;
  lastPrice?: number;
  bestBid?: number;
  bestAsk?: number;
}

export class ProjectXMarketEvents {
  /** Quotes arrive as partial updates: the last known value of each field, per contract. */
  private readonly quotes = new Map<string, MergedQuote>();

  constructor(private readonly sink: MarketEventSink) {}

  /** GatewayTrade(contractId, data): data is one trade or an array of them. */
  onTrade(contractId: unknown, data: unknown): void {
    const id = hubContractIdSchema.safeParse(contractId);
    if (!id.success) return this.sink.onRejected('projectx GatewayTrade: contractId is not a string', { contractId, data });
    const items: unknown[] = Array.isArray(data) ? data : [data];
    const trades: Trade[] = [];
    for (const item of items) {
      const parsed = hubTradeSchema.safeParse(item);
      if (!parsed.success) {
        this.sink.onRejected(`projectx GatewayTrade ${describeZodError(parsed.error)}`, { contractId: id.data, data: item });
        continue;
      }
      const time = parseProjectXTimestamp(parsed.data.timestamp);
      if (time === undefined) {
        this.sink.onRejected(`projectx GatewayTrade timestamp: '${parsed.data.timestamp}' is not ISO-8601 with an offset`, {
          contractId: id.data,
          data: item,
        });
        continue;
      }
      trades.push({ contractId: id.data, time, price: parsed.data.price, volume: parsed.data.volume, side: sideOf(parsed.data.type) });
    }
    if (trades.length > 0) this.sink.onTrades(trades);
  }

  /** GatewayQuote(contractId, data): data may carry only the fields that changed. */
  onQuote(contractId: unknown, data: unknown): void {
    const id = hubContractIdSchema.safeParse(contractId);
    if (!id.success) return this.sink.onRejected('projectx GatewayQuote: contractId is not a string', { contractId, data });
    const parsed = hubQuoteSchema.safeParse(data);
    if (!parsed.success) {
      return this.sink.onRejected(`projectx GatewayQuote ${describeZodError(parsed.error)}`, { contractId: id.data, data });
    }
    const time = quoteTime(parsed.data);
    if (time === null) {
      return this.sink.onRejected('projectx GatewayQuote timestamp: not ISO-8601 with an offset', { contractId: id.data, data });
    }
    const merged: MergedQuote = { ...this.quotes.get(id.data) };
    if (time !== undefined) merged.time = Math.max(time, merged.time ?? time);
    if (parsed.data.lastPrice != null) merged.lastPrice = parsed.data.lastPrice;
    if (parsed.data.bestBid != null) merged.bestBid = parsed.data.bestBid;
    if (parsed.data.bestAsk != null) merged.bestAsk = parsed.data.bestAsk;
    this.quotes.set(id.data, merged);
    if (merged.time === undefined) {
      return this.sink.onRejected('projectx GatewayQuote: no timestamp yet for this contract', { contractId: id.data, data });
    }
    const quote: Quote = {
      contractId: id.data,
      time: merged.time,
      ...(merged.lastPrice !== undefined && { lastPrice: merged.lastPrice }),
      ...(merged.bestBid !== undefined && { bestBid: merged.bestBid }),
      ...(merged.bestAsk !== undefined && { bestAsk: merged.bestAsk }),
    };
    this.sink.onQuote(quote);
  }
}

function sideOf(type: number | null | undefined): TradeSide {
  if (type === 0) return 'buy';
  if (type === 1) return 'sell';
  return 'unknown';
}

/** The newest of the quote's two clocks; undefined if it carries neither, null if one is unreadable. */
function quoteTime(quote: HubQuote): number | undefined | null {
  let newest: number | undefined;
  for (const text of [quote.timestamp, quote.lastUpdated]) {
    if (text == null) continue;
    const ms = parseProjectXTimestamp(text);
    if (ms === undefined) return null;
    newest = Math.max(ms, newest ?? ms);
  }
  return newest;
}
