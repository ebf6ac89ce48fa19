import { CME_CALENDAR, parseTimeframe, SessionCalendar } from '@barstream/core';
import { describe, expect, it } from 'vitest';
import { chartTimeFormatters } from './time-format.ts';

const at = (iso: string) => Date.parse(iso) / 1000;

describe('chartTimeFormatters', () => {
  it('labels intraday bars in the chosen zone', () => {
    const utc = chartTimeFormatters('UTC', parseTimeframe('5m'));
    const chicago = chartTimeFormatters('America/Chicago', parseTimeframe('5m'));
    expect(utc.timeFormatter(at('2025-06-02T22:05:00Z'))).toBe('2025-06-02 22:05 UTC');
    expect(chicago.timeFormatter(at('2025-06-02T22:05:00Z'))).toBe('2025-06-02 17:05 CDT');
    expect(chicago.timeFormatter(at('2025-01-02T23:00:00Z'))).toBe('2025-01-02 17:00 CST');
    expect(chicago.tickMarkFormatter(at('2025-06-02T22:05:00Z'), 3)).toBe('17:05');
  });

  it('marks a UTC-midnight day tick with the local time when that is not local midnight', () => {
    expect(chartTimeFormatters('UTC', parseTimeframe('1h')).tickMarkFormatter(at('2025-06-03T00:00:00Z'), 2)).toBe('3 Jun');
    expect(chartTimeFormatters('America/Chicago', parseTimeframe('1h')).tickMarkFormatter(at('2025-06-03T00:00:00Z'), 2)).toBe(
      '2 Jun 19:00',
    );
  });

  it('shows seconds for second bars and only dates for daily bars, whatever the zone', () => {
    expect(chartTimeFormatters('UTC', parseTimeframe('5s')).timeFormatter(at('2025-06-02T22:05:07Z'))).toBe('2025-06-02 22:05:07 UTC');
    const daily = chartTimeFormatters('America/Chicago', parseTimeframe('1d'));
    // A daily bar's time is its trade date at 00:00 UTC; in Chicago that instant is the day before.
    expect(daily.timeFormatter(at('2025-06-03T00:00:00Z'))).toBe('2025-06-03');
    expect(daily.tickMarkFormatter(at('2025-06-03T00:00:00Z'), 2)).toBe('3 Jun');
    expect(daily.tickMarkFormatter(at('2025-06-01T00:00:00Z'), 1)).toBe('Jun 2025');
  });

  it('names a session-boundary day mark after the trade date it opens, in either zone', () => {
    const cme = new SessionCalendar(CME_CALENDAR);
    // 17:00 CDT on Monday 2 June opens trade date Tuesday 3 June.
    for (const zone of ['America/Chicago', 'UTC']) {
      const f = chartTimeFormatters(zone, parseTimeframe('5m'), cme);
      expect(f.tickMarkFormatter(at('2025-06-02T22:00:00Z'), 2)).toBe('3 Jun');
      expect(f.tickMarkFormatter(at('2025-06-01T22:00:00Z'), 1)).toBe('Jun 2025');
    }
    expect(chartTimeFormatters('UTC', parseTimeframe('5m'), cme).tickMarkFormatter(at('2025-06-02T22:05:00Z'), 3)).toBe('22:05');
  });
});
