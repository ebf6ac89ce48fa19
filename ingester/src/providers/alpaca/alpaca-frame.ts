// One Alpaca stream frame (a JSON array of messages) → trades, quotes, control messages and rejections.
// Pure: the provider and bench:ingest both call parseAlpacaFrame.
import type { Trade } from '@barstream/core';
import type { z } from 'zod';
import type { Quote } from '../provider.ts';
import {
  SKIPPED_TYPES,
  errorMessageSchema,
  quoteMessageSchema,
  subscriptionMessageSchema,
  successMessageSchema,
  tradeMessageSchema,
} from './alpaca-schemas.ts';
import { scanAlpacaFrame } from './alpaca-frame-byte-scan.ts';
import { fastAlpacaTrade } from './alpaca-trade-fast-path.ts';

export type AlpacaControl =
  | { readonly kind: 'success'; readonly msg: string }
  | { readonly kind: 'subscription'; readonly trades: readonly string[]; readonly quotes: readonly string[] }
  | { readonly kind: 'error'; readonly code: number; readonly msg: string };

export interface AlpacaRejection {
  readonly reason: string;
  readonly detail: string;
}

export interface AlpacaFrame {
  readonly trades: Trade[];
  readonly quotes: Quote[];
  readonly control: AlpacaControl[];
  readonly rejected: AlpacaRejection[];
  /** Messages of types we do not ingest (corrections, cancels, bars, statuses …). */
  skipped: number;
}

/** Enough of a bad message to recognise it in a log without flooding it. */
const DETAIL_CHARS = 300;

/** `frame` is one text frame, its bytes as the socket gave them (or its text); `symbols`, when given, are the
 * symbols subscribed to: data for any other is rejected. The stream's own form is read from the bytes. */
export function parseAlpacaFrame(frame: Buffer | string, symbols?: ReadonlySet<string>): AlpacaFrame {
  const bytes = typeof frame === 'string' ? Buffer.from(frame, 'utf8') : frame;
  return scanAlpacaFrame(bytes, symbols) ?? parsedAlpacaFrame(typeof frame === 'string' ? frame : frame.toString('utf8'), symbols);
}

/** parseAlpacaFrame without the byte scan: JSON.parse, the fast path, zod. */
export function parsedAlpacaFrame(text: string, symbols?: ReadonlySet<string>): AlpacaFrame {
  const frame: AlpacaFrame = { trades: [], quotes: [], control: [], rejected: [], skipped: 0 };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    frame.rejected.push(rejection('frame is not JSON', text));
    return frame;
  }
  if (!Array.isArray(json)) {
    frame.rejected.push(rejection('frame is not an array of messages', text));
    return frame;
  }
  for (const message of json as unknown[]) parseMessage(message, frame, symbols);
  return frame;
}

function parseMessage(message: unknown, frame: AlpacaFrame, symbols: ReadonlySet<string> | undefined): void {
  const type = typeof message === 'object' && message !== null ? (message as { T?: unknown }).T : undefined;
  switch (type) {
    case 't': {
      const fast = fastAlpacaTrade(message as object, symbols);
      if (fast) return void frame.trades.push(fast);
      const parsed = tradeMessageSchema.safeParse(message);
      if (!parsed.success) return void frame.rejected.push(rejection(`invalid trade: ${firstIssue(parsed.error)}`, message));
      const t = parsed.data;
      if (symbols && !symbols.has(t.S)) return void frame.rejected.push(rejection(`trade of ${t.S.slice(0, 32)}, not subscribed`, message));
      // The tape prefixes the id: ids are unique per symbol within a tape, not across tapes.
      frame.trades.push({
        contractId: t.S,
        time: t.t,
        price: t.p,
        volume: t.s,
        side: 'unknown',
        tradeId: t.z ? `${t.z}${t.i}` : String(t.i),
      });
      return;
    }
    case 'q': {
      const parsed = quoteMessageSchema.safeParse(message);
      if (!parsed.success) return void frame.rejected.push(rejection(`invalid quote: ${firstIssue(parsed.error)}`, message));
      const q = parsed.data;
      if (symbols && !symbols.has(q.S)) return void frame.rejected.push(rejection(`quote of ${q.S.slice(0, 32)}, not subscribed`, message));
      // 0 is how Alpaca says a side of the book is empty.
      frame.quotes.push({ contractId: q.S, time: q.t, bestBid: q.bp > 0 ? q.bp : undefined, bestAsk: q.ap > 0 ? q.ap : undefined });
      return;
    }
    case 'success': {
      const parsed = successMessageSchema.safeParse(message);
      if (!parsed.success) return void frame.rejected.push(rejection(`invalid success message: ${firstIssue(parsed.error)}`, message));
      frame.control.push({ kind: 'success', msg: parsed.data.msg });
      return;
    }
    case 'error': {
      const parsed = errorMessageSchema.safeParse(message);
      if (!parsed.success) return void frame.rejected.push(rejection(`invalid error message: ${firstIssue(parsed.error)}`, message));
      frame.control.push({ kind: 'error', code: parsed.data.code, msg: parsed.data.msg });
      return;
    }
    case 'subscription': {
      const parsed = subscriptionMessageSchema.safeParse(message);
      if (!parsed.success) return void frame.rejected.push(rejection(`invalid subscription message: ${firstIssue(parsed.error)}`, message));
      frame.control.push({ kind: 'subscription', trades: parsed.data.trades ?? [], quotes: parsed.data.quotes ?? [] });
      return;
    }
    default:
      if (typeof type === 'string' && SKIPPED_TYPES.has(type)) {
        frame.skipped++;
        return;
      }
      frame.rejected.push(rejection(`unknown message type ${JSON.stringify(type)?.slice(0, 32) ?? 'undefined'}`, message));
  }
}

function rejection(reason: string, detail: unknown): AlpacaRejection {
  const text = typeof detail === 'string' ? detail : (JSON.stringify(detail) ?? String(detail));
  return { reason: `alpaca: ${reason}`, detail: text.slice(0, DETAIL_CHARS) };
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}
