import { exchangeCalendarSpecByName, UTC_CALENDAR } from '@barstream/core';
import { describe, expect, it } from 'vitest';
import { marketClosedText, marketStatus } from './market-status.ts';

const cme = exchangeCalendarSpecByName('cme_equity_futures', 'cme_globex') ?? null;
const crypto = exchangeCalendarSpecByName('crypto_24_7', 'utc') ?? null;

describe('market status', () => {
  it('says a CME contract is closed on a Saturday and when it opens, in Chicago time', () => {
    const status = marketStatus(cme, Date.parse('2026-12-05T16:00:00Z'));
    expect(status).toEqual({ open: false, nextOpen: '2026-12-06T23:00:00.000Z', timezone: 'America/Chicago' });
    expect(marketClosedText(status)).toBe('Market closed · opens Sun, Dec 6, 17:00 CST');
  });

  it('names the reopening after a holiday: Thanksgiving 2026 halts at 12:00 CT, reopens 17:00 CT', () => {
    const status = marketStatus(cme, Date.parse('2026-11-26T19:00:00Z'));
    expect(status?.nextOpen).toBe('2026-11-26T23:00:00.000Z');
  });

  it('says nothing while open, for a 24/7 market, or without exchange hours', () => {
    expect(marketClosedText(marketStatus(cme, Date.parse('2026-12-07T15:00:00Z')))).toBeNull();
    expect(marketClosedText(marketStatus(crypto, Date.parse('2026-12-05T16:00:00Z')))).toBeNull();
    expect(marketStatus(UTC_CALENDAR, Date.parse('2026-12-05T16:00:00Z'))).toBeNull();
  });
});
