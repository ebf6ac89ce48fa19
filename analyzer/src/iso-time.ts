// ISO 8601 text of epoch milliseconds, as Date#toISOString writes it, for the hundreds of thousands
// of signal details a backfill writes: the date part (from toISOString, so every year's form is
// right) is reused while the day stays the same, the time of day is plain arithmetic.
const DAY_MS = 86_400_000;
/** The longest text: '+275760-09-13T00:00:00.000Z'. */
export const MAX_ISO_TIME_BYTES = 27;

let cachedDay = NaN;
let cachedPrefix = '';

/** The date part up to its 'T' of the day holding `ms`. */
function dayPrefix(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    const text = new Date(day * DAY_MS).toISOString(); // throws RangeError for an invalid time, as toISOString does
    cachedDay = day;
    cachedPrefix = text.slice(0, text.indexOf('T') + 1);
  }
  return cachedPrefix;
}

const ZERO = 0x30;

/** isoTime(ms) written as ASCII into `buf` at `at` (room for MAX_ISO_TIME_BYTES); returns the offset after
 * it. No string per time: a backfill writes one into each signal's stored details. */
export function writeIsoTime(buf: Buffer, at: number, ms: number): number {
  if (!Number.isInteger(ms)) {
    // Not a stored time (those are whole milliseconds): what Date writes for it.
    const text = new Date(ms).toISOString();
    for (let i = 0; i < text.length; i++) buf[at++] = text.charCodeAt(i);
    return at;
  }
  const prefix = dayPrefix(ms);
  for (let i = 0; i < prefix.length; i++) buf[at++] = prefix.charCodeAt(i);
  const inDay = ms - cachedDay * DAY_MS;
  const millis = inDay % 1000;
  const seconds = Math.floor(inDay / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor(seconds / 60) % 60;
  const secs = seconds % 60;
  buf[at] = ZERO + Math.floor(hours / 10);
  buf[at + 1] = ZERO + (hours % 10);
  buf[at + 2] = 0x3a; // :
  buf[at + 3] = ZERO + Math.floor(minutes / 10);
  buf[at + 4] = ZERO + (minutes % 10);
  buf[at + 5] = 0x3a;
  buf[at + 6] = ZERO + Math.floor(secs / 10);
  buf[at + 7] = ZERO + (secs % 10);
  buf[at + 8] = 0x2e; // .
  buf[at + 9] = ZERO + Math.floor(millis / 100);
  buf[at + 10] = ZERO + (Math.floor(millis / 10) % 10);
  buf[at + 11] = ZERO + (millis % 10);
  buf[at + 12] = 0x5a; // Z
  return at + 13;
}

/** Room for one time, for isoTime. */
const scratch = Buffer.alloc(MAX_ISO_TIME_BYTES);

/** What `new Date(ms).toISOString()` gives (throws RangeError for an invalid time, as it does). */
export function isoTime(ms: number): string {
  return scratch.toString('latin1', 0, writeIsoTime(scratch, 0, ms));
}
