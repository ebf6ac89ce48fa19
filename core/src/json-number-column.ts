// A growable byte column of JSON number text, written as String(n) would write it without making a
// string (whole numbers digit by digit, whole hundredths too), with a module-level pool of spare
// column arrays reused from builder to builder. Used by the tick payload builder (tick-payloads.ts).
export const ZERO = 0x30;
const MINUS = 0x2d;
const DOT = 0x2e;

/** Bytes a column starts with; it doubles when a payload needs more. */
const COLUMN_BYTES = 1_024;
/** Column arrays kept for the next builder when one finishes (a flush makes a builder): 4 a contract,
 * for up to 256 contracts, none past SPARE_COLUMN_BYTES (a few MB at most). */
const SPARE_COLUMNS = 1_024;
const SPARE_COLUMN_BYTES = 16_384;
export const spare = (bytes: Uint8Array): void => {
  if (spareColumns.length < SPARE_COLUMNS && bytes.length <= SPARE_COLUMN_BYTES) spareColumns.push(bytes);
};
const spareColumns: Uint8Array[] = [];

/** The digits String(n) gives for a safe integer, for sizing before writing. */
function integerLength(n: number): number {
  let len = n < 0 ? 2 : 1;
  for (let a = Math.abs(n); a >= 10; a = Math.floor(a / 10)) len++;
  return len;
}

/** Below this magnitude a double's spacing is under 0.01, so a number that is a whole count of
 * hundredths has that decimal as its shortest round-trip text: String() writes exactly it. */
const CENTS_EXACT_BELOW = 2 ** 46;

/** `n` in hundredths when it is a whole number of them that String() writes as a plain decimal with
 * two decimals at most (a price on a 0.25 or 0.01 tick), else NaN. */
function centsOf(n: number): number {
  const cents = n * 100;
  return Number.isInteger(cents) && cents / 100 === n && Math.abs(n) < CENTS_EXACT_BELOW ? cents : NaN;
}

/** The length of String(n): hundredths and safe integers counted digit by digit, anything else
 * (finer fractions, magnitudes String writes with an exponent) through String. */
export function numberLength(n: number): number {
  if (Number.isSafeInteger(n)) return integerLength(n);
  const cents = centsOf(n);
  if (Number.isNaN(cents)) return String(n).length;
  const a = Math.abs(cents);
  const whole = Math.floor(a / 100);
  const frac = a - whole * 100;
  return (cents < 0 ? 1 : 0) + integerLength(whole) + (frac % 10 === 0 ? 2 : 3);
}

/** Writes the digits of a whole number `a` ≥ 0 to end just before `end`. */
function writeDigits(bytes: Uint8Array, end: number, a: number): void {
  for (let i = end - 1; ; i--) {
    const next = Math.floor(a / 10);
    bytes[i] = ZERO + (a - next * 10);
    a = next;
    if (a === 0) return;
  }
}

/** A growable run of ASCII bytes: one column of one contract's group. */
export class Column {
  bytes: Uint8Array = spareColumns.pop() ?? new Uint8Array(COLUMN_BYTES);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  byte(b: number): void {
    this.room(1);
    this.bytes[this.length++] = b;
  }

  /** Writes `n` as String(n) would; `len` is its length (numberLength). */
  number(n: number, len: number): void {
    this.room(len);
    const bytes = this.bytes;
    const end = this.length + len;
    if (Number.isSafeInteger(n)) {
      if (n < 0) bytes[this.length] = MINUS;
      writeDigits(bytes, end, Math.abs(n));
    } else {
      const cents = centsOf(n);
      if (Number.isNaN(cents)) {
        const text = String(n);
        for (let i = 0; i < len; i++) bytes[this.length + i] = text.charCodeAt(i);
      } else {
        if (cents < 0) bytes[this.length] = MINUS;
        const a = Math.abs(cents);
        const whole = Math.floor(a / 100);
        const frac = a - whole * 100;
        // String() drops a trailing zero: 0.5, not 0.50.
        const tens = Math.floor(frac / 10);
        const ones = frac - tens * 10;
        let at = end;
        if (ones !== 0) bytes[--at] = ZERO + ones;
        bytes[--at] = ZERO + tens;
        bytes[--at] = DOT;
        writeDigits(bytes, at, whole);
      }
    }
    this.length = end;
  }

  /** Copies `len` bytes of this column from `from` to its end (a repeated price). */
  repeat(from: number, len: number): void {
    this.room(len);
    this.bytes.copyWithin(this.length, from, from + len);
    this.length += len;
  }
}
