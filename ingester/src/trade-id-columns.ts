// Vendor trade ids without a JS string a tick: venues number their trades (Binance `t`, Coinbase
// `trade_id`, Alpaca `i` after an optional tape letter), so an id that is such a number is kept as
// its value in a Float64Array (and the letter as a byte) until the COPY writes its digits straight
// into the buffer; any other id stays the string it came as. A flush then holds no id strings for
// the GC to scan and promote, and the stored text is byte for byte the id the provider gave.

/** A tick without a vendor id (stored as NULL). */
export const NO_ID = -1;
/** A tick whose id is not a number: the string is in `text`. */
export const TEXT_ID = -2;
/** Digit-only ids up to this many digits are exact as doubles (10^15 < 2^53). */
const MAX_DIGITS = 15;
const CHAR_0 = 48;
const CHAR_9 = 57;

export interface TradeIdColumns {
  /** Per tick: the id's digits as a whole number ≥ 0, NO_ID or TEXT_ID. */
  readonly digits: Float64Array;
  /** Per tick with digits: the ASCII letter before them (Alpaca's tape), or 0. */
  readonly prefix: Uint8Array;
  /** The ids of TEXT_ID ticks, by tick index (undefined while no id of the batch is text). */
  readonly text: readonly (string | undefined)[] | undefined;
}

/** The value of `id` from `start` on when it is 1–15 digits without a leading zero (so `String` of the
 * value gives those digits back), else TEXT_ID. */
function digitsFrom(id: string, start: number): number {
  const n = id.length - start;
  if (n < 1 || n > MAX_DIGITS) return TEXT_ID;
  const first = id.charCodeAt(start);
  if (first < CHAR_0 || first > CHAR_9 || (first === CHAR_0 && n > 1)) return TEXT_ID;
  let value = first - CHAR_0;
  for (let i = start + 1; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < CHAR_0 || c > CHAR_9) return TEXT_ID;
    value = value * 10 + (c - CHAR_0);
  }
  return value;
}

/** The one-byte prefix `id` is kept with: 0 when it starts with a digit, the letter's code when one
 * printable non-digit ASCII character comes first, -1 when it cannot be kept as digits. */
export function idPrefixOf(id: string): number {
  const c = id.charCodeAt(0);
  if (c >= CHAR_0 && c <= CHAR_9) return 0;
  return c > 0x20 && c < 0x7f ? c : -1;
}

/** The digits of `id` after its prefix (see idPrefixOf), or TEXT_ID. */
export function idDigitsOf(id: string, prefix: number): number {
  if (prefix < 0) return TEXT_ID;
  return digitsFrom(id, prefix === 0 ? 0 : 1);
}

/** The id of tick `i` as the provider gave it, or undefined. */
export function tradeIdAt(ids: TradeIdColumns | undefined, i: number): string | undefined {
  if (!ids) return undefined;
  const d = ids.digits[i] as number;
  if (d === NO_ID) return undefined;
  if (d === TEXT_ID) return ids.text?.[i];
  const p = ids.prefix[i] as number;
  return p === 0 ? String(d) : String.fromCharCode(p) + String(d);
}

/** The id columns of these ids (callers holding Trade objects); undefined when none has an id. */
export function tradeIdColumnsOf(ids: readonly (string | undefined)[]): TradeIdColumns | undefined {
  if (!ids.some((id) => id !== undefined)) return undefined;
  const digits = new Float64Array(ids.length);
  const prefix = new Uint8Array(ids.length);
  let text: (string | undefined)[] | undefined;
  ids.forEach((id, i) => {
    if (id === undefined) {
      digits[i] = NO_ID;
      return;
    }
    const p = idPrefixOf(id);
    const d = idDigitsOf(id, p);
    digits[i] = d;
    if (d === TEXT_ID) (text ??= new Array<string | undefined>(ids.length))[i] = id;
    else prefix[i] = p;
  });
  return { digits, prefix, text };
}
