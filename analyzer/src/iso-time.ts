// ISO 8601 text of epoch milliseconds, as Date#toISOString writes it, for the hundreds of thousands
// of signal details a backfill writes: the date part (from toISOString, so every year's form is
// right) is reused while the day stays the same, the time of day is plain arithmetic.
const DAY_MS = 86_400_000;

let cachedDay = NaN;
let cachedPrefix = '';

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));
const three = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

export function isoTime(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    const text = new Date(day * DAY_MS).toISOString(); // throws RangeError for an invalid time, as toISOString does
    cachedDay = day;
    cachedPrefix = text.slice(0, text.indexOf('T') + 1);
  }
  const inDay = ms - day * DAY_MS;
  const millis = inDay % 1000;
  const seconds = Math.floor(inDay / 1000);
  return `${cachedPrefix}${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}.${three(millis)}Z`;
}
