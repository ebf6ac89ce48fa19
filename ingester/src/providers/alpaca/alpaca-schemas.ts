// zod schemas of what Alpaca Market Data v2 sends: stream messages (trades, quotes, control) and REST bars.
import { z } from 'zod';
import { parseRfc3339 } from '../rfc3339-time.ts';

const finite = z.number().refine(Number.isFinite, 'not a finite number');
const positive = finite.refine((n) => n > 0, 'must be positive');
const nonNegative = finite.refine((n) => n >= 0, 'must not be negative');
const symbol = z.string().min(1).max(32);

/** RFC-3339 timestamp string → epoch ms (fractional µs). */
export const alpacaTime = z.string().transform((text, ctx) => {
  const ms = parseRfc3339(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: 'not an RFC-3339 timestamp' });
    return z.NEVER;
  }
  return ms;
});

/** {"T":"t"}: one trade. i is the trade id (unique per symbol and tape), x the exchange, s the size,
 * c the conditions, z the tape. Alpaca does not say which side was the aggressor. */
export const tradeMessageSchema = z.object({
  T: z.literal('t'),
  S: symbol,
  i: z.int().nonnegative(),
  x: z.string(),
  p: positive,
  s: nonNegative,
  t: alpacaTime,
  c: z.array(z.string()).optional(),
  z: z.string().optional(),
});

/** {"T":"q"}: best bid/ask (bp/bs, ap/as) on one exchange (bx/ax). A one-sided book sends 0. */
export const quoteMessageSchema = z.object({
  T: z.literal('q'),
  S: symbol,
  bx: z.string().optional(),
  bp: nonNegative,
  bs: nonNegative,
  ax: z.string().optional(),
  ap: nonNegative,
  as: nonNegative,
  t: alpacaTime,
  c: z.array(z.string()).optional(),
  z: z.string().optional(),
});

export const successMessageSchema = z.object({ T: z.literal('success'), msg: z.string() });
export const errorMessageSchema = z.object({ T: z.literal('error'), code: z.int(), msg: z.string() });
export const subscriptionMessageSchema = z.looseObject({
  T: z.literal('subscription'),
  trades: z.array(z.string()).optional(),
  quotes: z.array(z.string()).optional(),
});

/** Messages that come with a trades subscription on SIP (corrections, cancels/errors) or belong to
 * channels we do not subscribe to: recognised and skipped, never stored. */
export const SKIPPED_TYPES: ReadonlySet<string> = new Set(['c', 'x', 'b', 'd', 'u', 's', 'l', 'i', 'n', 'o']);

/** One bar of GET /v2/stocks/{symbol}/bars. n (trade count) and vw (VWAP) are not used. */
export const restBarSchema = z.looseObject({
  t: alpacaTime,
  o: positive,
  h: positive,
  l: positive,
  c: positive,
  v: nonNegative,
});
export type RestBar = z.infer<typeof restBarSchema>;

/** GET /v2/stocks/{symbol}/bars: `bars` is null when the range holds none. */
export const barsResponseSchema = z.looseObject({
  bars: z.array(restBarSchema).nullable(),
  symbol: z.string().optional(),
  next_page_token: z.string().min(1).nullable().optional(),
});

/** Body of REST errors, e.g. {"message": "invalid timeframe"} (some carry a numeric code too). */
export const restErrorBodySchema = z.looseObject({ message: z.string(), code: z.number().optional() });
