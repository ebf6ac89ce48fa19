// Reading a venue's JSON text frame from its bytes, for the scans that take the venue's own form without
// JSON.parse or a string of the frame: literals compared in place, a plain string's end found. UTF-8 puts
// bytes below 0x80 only where the character is ASCII, so a quote, a backslash or a control character seen
// here is that character, whatever multi-byte characters stand around it.

export const QUOTE = 34;
export const COMMA = 44;
export const DOT = 46;
export const CLOSE_BRACKET = 93;
export const CLOSE_BRACE = 125;
export const CHAR_0 = 48;
export const CHAR_9 = 57;
const BACKSLASH = 92;
/** Up to this many digits a number's integer of digits is exact in a double, and dividing it by an exact
 * power of ten rounds once: the double JSON.parse or Number() gives. Longer numbers go the JSON way. */
export const MAX_EXACT_DIGITS = 15;
export const POWERS_OF_TEN: readonly number[] = Array.from({ length: MAX_EXACT_DIGITS + 1 }, (_, k) => 10 ** k);
/** Below this a character must be escaped in a JSON string: raw, JSON.parse throws. */
const FIRST_PLAIN_CHAR = 32;

/** An ASCII literal's bytes, for bytesAt. */
export function asciiBytes(literal: string): Uint8Array {
  const bytes = Buffer.from(literal, 'latin1');
  if (bytes.toString('utf8') !== literal) throw new Error(`json-frame-bytes: '${literal}' is not ASCII`);
  return new Uint8Array(bytes);
}

/** Whether `bytes` holds `literal` at `at` (false when it runs past the end). */
export function bytesAt(bytes: Uint8Array, at: number, literal: Uint8Array): boolean {
  const n = literal.length;
  if (at < 0 || at + n > bytes.length) return false;
  for (let k = 0; k < n; k++) if (bytes[at + k] !== literal[k]) return false;
  return true;
}

/** The index of the quote closing a JSON string whose content starts at `start`, or -1 when there is none or
 * the string holds an escape or a control character (JSON.parse would decode or refuse them: not ours to read). */
export function plainStringEnd(bytes: Uint8Array, start: number): number {
  for (let i = start; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (c === QUOTE) return i;
    if (c === BACKSLASH || c < FIRST_PLAIN_CHAR) return -1;
  }
  return -1;
}

/** Whether `bytes` could stand inside a JSON string as they are (no quote, escape or control character). */
export function isPlainText(bytes: Uint8Array): boolean {
  for (const c of bytes) if (c === QUOTE || c === BACKSLASH || c < FIRST_PLAIN_CHAR) return false;
  return true;
}
