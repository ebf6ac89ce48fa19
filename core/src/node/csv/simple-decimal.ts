// Reads a plain decimal ('30001.75', '0.125', '42') straight from the file text, without the substring
// Number() needs: at a million rows of five prices each, the substrings alone cost more than the rest.

/** Powers of ten a double holds exactly (all up to 10^22; 15 is as many as MAX_DIGITS allows). */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
/** Up to 15 digits the mantissa stays below 2^53, exact in a double. */
const MAX_DIGITS = 15;
const ZERO = 48;
const NINE = 57;
const DOT = 46;

/**
 * The value of text[start, end) when it is digits with at most one '.', at most 15 digits in all;
 * NaN for anything else (signs, spaces, exponents, longer numbers), which the caller hands to Number().
 * Exact: an integer mantissa below 2^53 divided by an exact power of ten is the one correctly rounded
 * division, so the result is the double nearest the decimal, as Number() gives (Clinger's fast path).
 */
export function simpleDecimal(text: string, start: number, end: number): number {
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === DOT && fraction < 0) {
      fraction = 0;
    } else {
      return NaN;
    }
  }
  if (digits === 0 || digits > MAX_DIGITS) return NaN;
  return fraction > 0 ? mantissa / (POW10[fraction] as number) : mantissa;
}
