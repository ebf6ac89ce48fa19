// Epoch milliseconds → ISO-8601 UTC exactly as Date#toISOString writes it, without a Date per
// call: the date part is formatted once per day. /api/ohlc writes 10,000 of these per answer.
const DAY_MS = 86_400_000;
/** Years 0000-9999: toISOString's fixed-width form (outside it writes ±YYYYYY). */
const MIN_MS = -62_167_219_200_000;
const MAX_MS = 253_402_300_799_999;

let cachedDay = Number.NaN;
let cachedPrefix = '';

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

export function isoFromEpochMs(epochMs: number): string {
  const ms = Math.floor(epochMs);
  if (!(ms >= MIN_MS && ms <= MAX_MS)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${cachedPrefix}${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${pad3(rest - seconds * 1000)}Z`;
}
