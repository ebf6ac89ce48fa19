// A venue's trade id text as the Trade carries it: the number when the text is that number's own decimal form
// (so the ingester holds a number, not a string, until it writes the digits into the COPY), else the text.
import type { TradeId } from '@barstream/core';

const CHAR_0 = 48;
const CHAR_9 = 57;
/** Up to 15 digits a decimal integer is exact in a double (10^15 < 2^53). */
const MAX_EXACT_DIGITS = 15;

/** `text` as a number when it is 1–15 digits without a leading zero (String of the number gives `text` back:
 * "007" stays "007"), else `text` itself. */
export function numberedTradeId(text: string): TradeId {
  const n = text.length;
  if (n === 0 || n > MAX_EXACT_DIGITS || (n > 1 && text.charCodeAt(0) === CHAR_0)) return text;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < CHAR_0 || c > CHAR_9) return text;
    value = value * 10 + (c - CHAR_0);
  }
  return value;
}
