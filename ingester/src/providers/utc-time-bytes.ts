// An RFC 3339 time in a frame's bytes, in the form the venues write it ('YYYY-MM-DDTHH:MM:SS', an optional
// fraction of 1–9 digits, 'Z') → epoch ms, fractional down to the microsecond (digits past it dropped). The
// minute is read once by the venue's own reader and remembered: a frame's trades, and consecutive frames,
// mostly share it, and reading it is most of the cost of a time. Anything else (an offset, a leap second, a
// stray character) is NaN: the frame then goes the JSON way, whose reader says what it is.

/** 'YYYY-MM-DDTHH:MM' */
const MINUTE_CHARS = 16;
/** 'YYYY-MM-DDTHH:MM:SS' */
const SECONDS_CHARS = 19;
const MAX_FRACTION_DIGITS = 9;
const MICRO_DIGITS = 6;
const CHAR_T = 84;
const CHAR_Z = 90;
const CHAR_DOT = 46;
const CHAR_COLON = 58;
const CHAR_0 = 48;
const FIRST_NON_ASCII = 128;

export class UtcTimeBytes {
  private readonly minute = new Uint8Array(MINUTE_CHARS);
  private minuteMs = NaN;

  /** `read` takes 'YYYY-MM-DDTHH:MM:00' and gives its epoch ms, undefined when it is not a valid time. */
  constructor(private readonly read: (seconds: string) => number | undefined) {}

  /** The time in bytes[start, end), or NaN when it is not in the venues' form or not a valid time. */
  at(bytes: Uint8Array, start: number, end: number): number {
    const n = end - start;
    if (n < SECONDS_CHARS + 1 || bytes[end - 1] !== CHAR_Z || bytes[start + 10] !== CHAR_T) return NaN;
    const tens = (bytes[start + 17] as number) - CHAR_0;
    const ones = (bytes[start + 18] as number) - CHAR_0;
    if (bytes[start + MINUTE_CHARS] !== CHAR_COLON || !(tens >= 0 && tens <= 5) || !(ones >= 0 && ones <= 9)) return NaN;
    const minuteMs = this.minuteAt(bytes, start);
    if (Number.isNaN(minuteMs)) return NaN;
    const whole = minuteMs + (tens * 10 + ones) * 1000;
    if (n === SECONDS_CHARS + 1) return whole;
    const digits = n - SECONDS_CHARS - 2;
    if (bytes[start + SECONDS_CHARS] !== CHAR_DOT || digits < 1 || digits > MAX_FRACTION_DIGITS) return NaN;
    let micros = 0;
    for (let i = start + SECONDS_CHARS + 1, k = 0; i < end - 1; i++, k++) {
      const digit = (bytes[i] as number) - CHAR_0;
      if (!(digit >= 0 && digit <= 9)) return NaN;
      if (k < MICRO_DIGITS) micros = micros * 10 + digit;
    }
    for (let k = digits; k < MICRO_DIGITS; k++) micros *= 10;
    return whole + micros / 1000;
  }

  private minuteAt(bytes: Uint8Array, start: number): number {
    const minute = this.minute;
    let k = MINUTE_CHARS - 1;
    while (k >= 0 && minute[k] === bytes[start + k]) k--;
    if (k < 0) return this.minuteMs;
    let text = '';
    for (let j = 0; j < MINUTE_CHARS; j++) {
      const c = bytes[start + j] as number;
      // Digits and separators only: anything else is not a time the venue's reader takes.
      if (c >= FIRST_NON_ASCII) return NaN;
      text += String.fromCharCode(c);
    }
    const ms = this.read(`${text}:00`);
    minute.set(bytes.subarray(start, start + MINUTE_CHARS));
    this.minuteMs = ms ?? NaN;
    return this.minuteMs;
  }
}
