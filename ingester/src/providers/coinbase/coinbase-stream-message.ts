// One Advanced Trade market-data frame → trades, quotes, a heartbeat, a subscription ack, a venue error, or a
// rejection saying what was wrong. Every envelope's sequence_num is passed on for the gap check.
import type { Trade } from '@barstream/core';
import type { z } from 'zod';
import type { Quote } from '../provider.ts';
import {
  envelopeSchema,
  errorMessageSchema,
  heartbeatEventSchema,
  marketTradesEventSchema,
  subscriptionsEventSchema,
  tickerEventSchema,
} from './coinbase-schemas.ts';
import { inIdOrder } from './coinbase-sequenced-trades.ts';
import { numberedTradeId } from '../numbered-trade-id.ts';
import { parseRfc3339 } from '../rfc3339-time.ts';
import { type FastTrades, fastMarketTrades } from './coinbase-trades-fast-path.ts';
import { scanMarketTrades } from './coinbase-trades-byte-scan.ts';

export type StreamMessage =
  /** In id order; each with the venue's trade id as its tradeId, and as a number in `ids` (`ids[k]` is `trades[k]`'s). */
  | {
      readonly kind: 'trades';
      readonly sequence: number;
      readonly snapshot: boolean;
      readonly trades: readonly Trade[];
      readonly ids: readonly number[];
    }
  | { readonly kind: 'quotes'; readonly sequence: number; readonly quotes: readonly Quote[] }
  | { readonly kind: 'heartbeat'; readonly sequence: number }
  | { readonly kind: 'subscriptions'; readonly sequence: number; readonly channels: Readonly<Record<string, readonly string[]>> }
  /** A channel we did not ask for: the docs say new message types may appear and are to be ignored. */
  | { readonly kind: 'ignored'; readonly sequence: number }
  /** The venue refused something (a subscription, authentication): {"type":"error","message":…}. */
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'rejected'; readonly sequence: number | undefined; readonly reason: string; readonly detail: unknown };

/** Enough of a bad frame to recognise it in a log without flooding it. */
const DETAIL_CHARS = 300;

/** `frame` is one text frame, its bytes as the socket gave them (or its text); `products` the product ids this
 * connection subscribed to. The venue's own form is read from the bytes; anything else from the text. */
export function parseStreamMessage(frame: Buffer | string, products: ReadonlySet<string>): StreamMessage {
  const scanned = scanMarketTrades(typeof frame === 'string' ? Buffer.from(frame, 'utf8') : frame, products);
  if (scanned) return tradesOf(scanned);
  return parsedStreamMessage(typeof frame === 'string' ? frame : frame.toString('utf8'), products);
}

/** parseStreamMessage without the byte scan: JSON.parse, the fast path, zod. */
export function parsedStreamMessage(text: string, products: ReadonlySet<string>): StreamMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return rejected(undefined, 'frame is not JSON', text);
  }
  const fast = fastMarketTrades(json, products);
  if (fast) return tradesOf(fast);
  return schemaStreamMessage(json, products, text);
}

/** The zod path: every message the fast path did not vouch for, and the one that names what is wrong. */
export function schemaStreamMessage(json: unknown, products: ReadonlySet<string>, text: string): StreamMessage {
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    const error = errorMessageSchema.safeParse(json);
    if (error.success) return { kind: 'error', message: error.data.message };
    return rejected(undefined, `not a market-data message: ${firstIssue(envelope.error)}`, text);
  }
  const { channel, sequence_num: sequence, events, timestamp } = envelope.data;
  switch (channel) {
    case 'market_trades':
      return tradesMessage(sequence, events, products, text);
    case 'ticker':
      return quotesMessage(sequence, (timestamp && parseRfc3339(timestamp)) || Date.now(), events, products, text);
    case 'heartbeats': {
      const bad = events.findIndex((e) => !heartbeatEventSchema.safeParse(e).success);
      return bad < 0 ? { kind: 'heartbeat', sequence } : rejected(sequence, `malformed heartbeat event ${bad}`, text);
    }
    case 'subscriptions': {
      const event = subscriptionsEventSchema.safeParse(events[0]);
      if (!event.success) return rejected(sequence, `malformed subscriptions event: ${firstIssue(event.error)}`, text);
      return { kind: 'subscriptions', sequence, channels: event.data.subscriptions };
    }
    default:
      return { kind: 'ignored', sequence };
  }
}

function tradesMessage(sequence: number, events: readonly unknown[], products: ReadonlySet<string>, text: string): StreamMessage {
  const trades: Trade[] = [];
  let snapshot = false;
  for (const [i, raw] of events.entries()) {
    const event = marketTradesEventSchema.safeParse(raw);
    if (!event.success) return rejected(sequence, `invalid market_trades event ${i}: ${firstIssue(event.error)}`, text);
    snapshot ||= event.data.type === 'snapshot';
    for (const t of event.data.trades) {
      if (!products.has(t.product_id))
        return rejected(sequence, `trade of ${t.product_id.slice(0, 32)}, which we did not subscribe to`, text);
      trades.push({
        contractId: t.product_id,
        time: t.time,
        price: t.price,
        volume: t.size,
        side: t.side === 'BUY' ? 'buy' : 'sell',
        tradeId: numberedTradeId(t.trade_id),
      });
    }
  }
  // The venue batches 250 ms of trades newest first: the pipeline wants them in time order.
  const ids = inIdOrder(trades);
  return { kind: 'trades', sequence, snapshot, trades, ids };
}

/** `time`: the envelope's timestamp (a ticker carries none of its own). */
function quotesMessage(
  sequence: number,
  time: number,
  events: readonly unknown[],
  products: ReadonlySet<string>,
  text: string,
): StreamMessage {
  const quotes: Quote[] = [];
  for (const [i, raw] of events.entries()) {
    const event = tickerEventSchema.safeParse(raw);
    if (!event.success) return rejected(sequence, `invalid ticker event ${i}: ${firstIssue(event.error)}`, text);
    for (const t of event.data.tickers) {
      if (!products.has(t.product_id))
        return rejected(sequence, `ticker of ${t.product_id.slice(0, 32)}, which we did not subscribe to`, text);
      quotes.push({ contractId: t.product_id, time, lastPrice: t.price, bestBid: t.best_bid, bestAsk: t.best_ask });
    }
  }
  return { kind: 'quotes', sequence, quotes };
}

function tradesOf(read: FastTrades): StreamMessage {
  return { kind: 'trades', sequence: read.sequence, snapshot: read.snapshot, trades: read.trades, ids: read.ids };
}

function rejected(sequence: number | undefined, reason: string, text: string): StreamMessage {
  return { kind: 'rejected', sequence, reason: `coinbase: ${reason}`, detail: text.slice(0, DETAIL_CHARS) };
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}
