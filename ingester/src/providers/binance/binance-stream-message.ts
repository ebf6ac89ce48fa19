// One combined-stream frame → a parsed trade, a shutdown notice, or a rejection saying what was wrong.
import type { Trade } from '@barstream/core';
import type { RawData } from 'ws';
import type { z } from 'zod';
import { combinedMessageSchema, serverShutdownSchema, tradeEventSchema } from './binance-schemas.ts';

export type StreamEvent =
  | { readonly kind: 'trade'; readonly trade: Trade; readonly tradeId: number }
  | { readonly kind: 'shutdown' }
  | { readonly kind: 'rejected'; readonly reason: string; readonly detail: unknown };

/** Enough of a bad frame to recognise it in a log without flooding it. */
const DETAIL_CHARS = 300;

/** `symbols` are the uppercase symbols this connection subscribed to. */
export function parseStreamMessage(data: RawData, isBinary: boolean, symbols: ReadonlySet<string>): StreamEvent {
  if (isBinary) return rejected('binary frame on a JSON stream', `${byteLength(data)} bytes`);
  const text = rawText(data);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return rejected('frame is not JSON', text.slice(0, DETAIL_CHARS));
  }
  const envelope = combinedMessageSchema.safeParse(json);
  if (!envelope.success) return rejected(`not a combined-stream message: ${firstIssue(envelope.error)}`, text.slice(0, DETAIL_CHARS));
  const { stream, data: payload } = envelope.data;
  if (stream === '!serverShutdown') {
    return serverShutdownSchema.safeParse(payload).success
      ? { kind: 'shutdown' }
      : rejected('malformed serverShutdown event', text.slice(0, DETAIL_CHARS));
  }
  if (!stream.endsWith('@trade')) return rejected(`unexpected stream '${stream.slice(0, 64)}'`, text.slice(0, DETAIL_CHARS));
  const event = tradeEventSchema.safeParse(payload);
  if (!event.success) return rejected(`invalid trade on ${stream.slice(0, 64)}: ${firstIssue(event.error)}`, text.slice(0, DETAIL_CHARS));
  const t = event.data;
  const symbol = t.s.toUpperCase();
  if (!symbols.has(symbol) || stream !== `${symbol.toLowerCase()}@trade`) {
    return rejected(`trade of ${t.s} on stream '${stream.slice(0, 64)}' we did not subscribe to`, text.slice(0, DETAIL_CHARS));
  }
  return {
    kind: 'trade',
    tradeId: t.t,
    // The buyer resting on the book (maker) means the aggressor sold. The id as the number (a safe integer ≥ 0 by
    // the schema: it stands for String(t.t), the text stored), so no string a trade is held until the flush.
    trade: { contractId: symbol, time: t.T, price: t.p, volume: t.q, side: t.m ? 'sell' : 'buy', tradeId: t.t },
  };
}

function rejected(reason: string, detail: unknown): StreamEvent {
  return { kind: 'rejected', reason: `binance: ${reason}`, detail };
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data.byteLength;
}
