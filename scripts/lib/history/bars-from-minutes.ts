// Hourly and longer intraday bars rebuilt from 1-minute bars on a session calendar: for a vendor whose
// own hours start on the clock hour (Alpaca) while ours are anchored at the session open (xnys 09:30).
import type { OhlcBar, SessionCalendar, Timeframe } from '@barstream/core';

/** The `tf` bars of `minutes` (ascending, one per minute), bucketed as `calendar` buckets trades; a
 * bucket still open at `now` is left out, as a vendor returns closed bars only. */
export function barsFromMinutes(minutes: readonly OhlcBar[], tf: Timeframe, calendar: SessionCalendar, now: number): OhlcBar[] {
  const out: OhlcBar[] = [];
  let current: { bar: OhlcBar; to: number } | undefined;
  const finish = (): void => {
    if (current && current.to <= now) out.push(current.bar);
  };
  for (const m of minutes) {
    const bucket = calendar.bucket(m.time, tf);
    if (current && current.bar.time === bucket.time) {
      const b = current.bar;
      current.bar = {
        time: b.time,
        open: b.open,
        high: Math.max(b.high, m.high),
        low: Math.min(b.low, m.low),
        close: m.close,
        volume: b.volume + m.volume,
      };
      continue;
    }
    finish();
    current = { bar: { ...m, time: bucket.time }, to: bucket.to };
  }
  finish();
  return out;
}
