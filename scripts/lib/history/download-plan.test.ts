import { describe, expect, it } from 'vitest';
import {
  CME_CALENDAR,
  DAY_MS,
  exchangeCalendarSpecByName,
  parseTimeframe,
  SessionCalendar,
  type SessionCalendarSpec,
  UTC_CALENDAR,
} from '@barstream/core';
import { chunkStatus, planChunks, planWindows, type Chunk, type ChunkStatus } from './download-plan.ts';
import { TradingHours } from './trading-hours.ts';

const cme = new TradingHours(new SessionCalendar(CME_CALENDAR));
const utc = new TradingHours(new SessionCalendar(UTC_CALENDAR));
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
const iso = (ms: number): string => new Date(ms).toISOString();
const FAR_FUTURE = day('2100-01-01');

describe('planChunks', () => {
  it('on an exchange calendar, expects no bar on a holiday and gives the next trade date its trading', () => {
    const exchange = new TradingHours(new SessionCalendar(exchangeCalendarSpecByName('cme_equity_futures') as SessionCalendarSpec));
    const range = { startDate: day('2025-05-23'), endDate: day('2025-05-28') };
    const days = planChunks(exchange, parseTimeframe('1d'), range, FAR_FUTURE);
    // The weekend and the holiday have no trade date: the next chunk is Tuesday's, closing at 16:00 CT.
    expect(days.map((c) => [iso(c.from).slice(0, 10), iso(c.closesAt), c.expected])).toEqual([
      ['2025-05-23', '2025-05-23T21:00:00.000Z', 1],
      ['2025-05-27', '2025-05-27T21:00:00.000Z', 1],
      ['2025-05-28', '2025-05-28T21:00:00.000Z', 1],
    ]);
    const hours = planChunks(exchange, parseTimeframe('1h'), range, FAR_FUTURE);
    expect(hours.map((c) => c.expected)).toEqual([23, 0, 0, 0, 19 + 23, 23]);
  });

  it('cuts intraday timeframes into trade dates, session open to session open, weekends expecting nothing', () => {
    const chunks = planChunks(cme, parseTimeframe('5m'), { startDate: day('2025-03-14'), endDate: day('2025-03-17') }, FAR_FUTURE);
    expect(chunks.map((c) => [iso(c.from), iso(c.to), c.expected])).toEqual([
      ['2025-03-13T22:00:00.000Z', '2025-03-14T22:00:00.000Z', 276],
      ['2025-03-14T22:00:00.000Z', '2025-03-15T22:00:00.000Z', 0],
      ['2025-03-15T22:00:00.000Z', '2025-03-16T22:00:00.000Z', 0],
      ['2025-03-16T22:00:00.000Z', '2025-03-17T22:00:00.000Z', 276],
    ]);
  });

  it('gives day, week and month bars one chunk per bar, labelled by date, closing at the session end', () => {
    const days = planChunks(cme, parseTimeframe('1d'), { startDate: day('2025-03-17'), endDate: day('2025-03-18') }, FAR_FUTURE);
    expect(days.map((c) => [iso(c.from), iso(c.to), iso(c.closesAt), c.expected])).toEqual([
      ['2025-03-17T00:00:00.000Z', '2025-03-18T00:00:00.000Z', '2025-03-17T22:00:00.000Z', 1],
      ['2025-03-18T00:00:00.000Z', '2025-03-19T00:00:00.000Z', '2025-03-18T22:00:00.000Z', 1],
    ]);
    const weeks = planChunks(utc, parseTimeframe('1w'), { startDate: day('2025-03-05'), endDate: day('2025-03-12') }, FAR_FUTURE);
    expect(weeks.map((c) => [iso(c.from), iso(c.to)])).toEqual([
      ['2025-03-03T00:00:00.000Z', '2025-03-10T00:00:00.000Z'],
      ['2025-03-10T00:00:00.000Z', '2025-03-17T00:00:00.000Z'],
    ]);
    const months = planChunks(utc, parseTimeframe('1mo'), { startDate: day('2025-01-31'), endDate: day('2025-02-01') }, FAR_FUTURE);
    expect(months.map((c) => iso(c.from))).toEqual(['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z']);
  });

  it('stops at now when no end date is given', () => {
    const now = day('2025-03-20') + 5 * 3_600_000;
    const chunks = planChunks(utc, parseTimeframe('1m'), { startDate: day('2025-03-18'), endDate: undefined }, now);
    expect(chunks.map((c) => iso(c.from))).toEqual(['2025-03-18T00:00:00.000Z', '2025-03-19T00:00:00.000Z', '2025-03-20T00:00:00.000Z']);
  });
});

describe('chunkStatus', () => {
  const chunk: Chunk = { from: 0, to: DAY_MS, firstDate: 0, endDate: DAY_MS, closesAt: DAY_MS, expected: 1_440 };
  it('covers a chunk only when its bars were written after it ended', () => {
    expect(chunkStatus(chunk, { stored: 1_440, lastWrite: DAY_MS + 1 }, 2 * DAY_MS, false)).toBe('covered');
    expect(chunkStatus(chunk, { stored: 700, lastWrite: DAY_MS / 2 }, 2 * DAY_MS, false)).toBe('missing');
    expect(chunkStatus(chunk, { stored: 0, lastWrite: undefined }, 2 * DAY_MS, false)).toBe('missing');
    expect(chunkStatus(chunk, { stored: 1_440, lastWrite: DAY_MS + 1 }, 2 * DAY_MS, true)).toBe('missing');
    expect(chunkStatus({ ...chunk, expected: 0 }, { stored: 0, lastWrite: undefined }, 2 * DAY_MS, false)).toBe('no_session');
  });
});

describe('planWindows', () => {
  const chunks: Chunk[] = Array.from({ length: 8 }, (_, i) => ({
    from: i * 10,
    to: (i + 1) * 10,
    firstDate: 0,
    endDate: 0,
    closesAt: 0,
    expected: i === 5 || i === 6 ? 0 : 100,
  }));
  const status = (...s: ChunkStatus[]): ChunkStatus[] => s;

  it('joins runs of missing chunks within the budget, lets session-less chunks ride along, splits at covered ones', () => {
    // 0 covered | 1 2 3 4 missing | 5 6 without a session | 7 missing
    const s = status('covered', 'missing', 'missing', 'missing', 'missing', 'no_session', 'no_session', 'missing');
    expect(planWindows(chunks, s, 250)).toEqual([
      { from: 10, to: 30, expected: 200, chunks: 2 },
      { from: 30, to: 50, expected: 200, chunks: 2 },
      { from: 70, to: 80, expected: 100, chunks: 1 },
    ]);
    expect(planWindows(chunks, s, 350)).toEqual([
      { from: 10, to: 40, expected: 300, chunks: 3 },
      { from: 40, to: 80, expected: 200, chunks: 4 },
    ]);
    expect(
      planWindows(chunks, status('covered', 'covered', 'covered', 'covered', 'covered', 'no_session', 'no_session', 'covered'), 250),
    ).toEqual([]);
  });

  it('gives a chunk bigger than the budget a window of its own', () => {
    expect(planWindows(chunks.slice(0, 2), status('missing', 'missing'), 50)).toEqual([
      { from: 0, to: 10, expected: 100, chunks: 1 },
      { from: 10, to: 20, expected: 100, chunks: 1 },
    ]);
  });
});
