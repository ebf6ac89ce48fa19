import { describe, expect, it } from 'vitest';
import { exchangeCalendarSpecByName } from './calendars/calendar-specs.ts';
import { ClosedStretches } from './closed-stretches.ts';
import { SessionCalendar, type SessionCalendarSpec } from './session-calendar.ts';
import { parseTimeframe } from './timeframe.ts';

const calendarNamed = (name: string): SessionCalendar => new SessionCalendar(exchangeCalendarSpecByName(name) as SessionCalendarSpec);
const TIMEFRAMES = ['1d', '1w', '1M'].map((t) => parseTimeframe(t));

/** Walks [from, to) in `stepMs` steps as the aggregator does (asking the calendar only outside a remembered
 * stretch): every instant the stretches call closed must have no bucket, and none may be missed. */
function walk(calendar: SessionCalendar, from: string, to: string, stepMs: number): { misses: number; missesAsked: number } {
  const closed = new ClosedStretches(TIMEFRAMES.length);
  let misses = 0;
  let missesAsked = 0;
  for (let t = Date.parse(from); t < Date.parse(to); t += stepMs) {
    TIMEFRAMES.forEach((tf, i) => {
      const bucket = calendar.bucket(t, tf);
      const miss = t < bucket.from || t >= bucket.to;
      if (closed.has(calendar, i, t)) expect(miss, `${new Date(t).toISOString()} ${tf.value}${tf.unit}`).toBe(true);
      else if (miss) {
        missesAsked++;
        closed.remember(calendar, i, t);
      }
      if (miss) misses++;
    });
  }
  return { misses, missesAsked };
}

describe('ClosedStretches', () => {
  it('calls closed only instants with no day, week or month bar, through CME halts, weekends, holidays and early closes', () => {
    // Thanksgiving week 2025 (the Friday closes early) and Christmas; every 7 minutes.
    const cme = walk(calendarNamed('cme_equity_futures'), '2025-11-24T00:00:00Z', '2025-12-31T00:00:00Z', 7 * 60_000);
    // The calendar is asked about a closed instant once per stretch (and timeframe): ~30 halts, weekends
    // and holidays here, where the walk meets thousands of closed instants.
    expect(cme.misses).toBeGreaterThan(2_000);
    expect(cme.missesAsked).toBeLessThan(150);
  });

  it('does the same for a stock exchange (after-hours trades every minute) and for 24/7 crypto', () => {
    const xnys = walk(calendarNamed('xnys'), '2025-06-30T00:00:00Z', '2025-07-08T00:00:00Z', 60_000);
    expect(xnys.misses).toBeGreaterThan(5_000);
    expect(xnys.missesAsked).toBeLessThan(50);
    const crypto = walk(calendarNamed('crypto_24_7'), '2025-06-30T00:00:00Z', '2025-07-03T00:00:00Z', 60_000);
    expect(crypto.misses).toBe(0);
  });
});
