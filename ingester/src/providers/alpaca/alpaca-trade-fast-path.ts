// The hot path of the stock stream: a {"T":"t"} trade message checked by hand, field by field, with
// exactly the rules of tradeMessageSchema (alpaca-schemas.ts). Anything it does not vouch for returns
// undefined and goes through zod, which accepts it or names what is wrong: the fast path only says yes.
import type { Trade } from '@barstream/core';
import { parseRfc3339 } from '../rfc3339-time.ts';

/** tradeMessageSchema's bound on a symbol's length. */
const MAX_SYMBOL = 32;

/** The trade `message` carries, or undefined when zod must look at it. */
export function fastAlpacaTrade(message: object, symbols: ReadonlySet<string> | undefined): Trade | undefined {
  const { S, i, x, p, s, t, c, z } = message as Record<string, unknown>;
  if (typeof S !== 'string' || S.length === 0 || S.length > MAX_SYMBOL || (symbols && !symbols.has(S))) return undefined;
  if (!Number.isSafeInteger(i) || (i as number) < 0 || typeof x !== 'string') return undefined;
  if (typeof p !== 'number' || !Number.isFinite(p) || !(p > 0)) return undefined;
  if (typeof s !== 'number' || !Number.isFinite(s) || !(s >= 0)) return undefined;
  if (z !== undefined && typeof z !== 'string') return undefined;
  if (c !== undefined && !allStrings(c)) return undefined;
  if (typeof t !== 'string') return undefined;
  const time = parseRfc3339(t);
  if (time === undefined) return undefined;
  // The tape prefixes the id: ids are unique per symbol within a tape, not across tapes.
  return { contractId: S, time, price: p, volume: s, side: 'unknown', tradeId: z ? `${z}${i as number}` : String(i) };
}

/** z.array(z.string()), without a closure per trade. */
function allStrings(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (let k = 0; k < value.length; k++) if (typeof value[k] !== 'string') return false;
  return true;
}
