// Historical download's gap report: missing bars are counted against the session calendar, so only
// holes inside CME sessions count, never the daily break, the weekend or a holiday. Against the local fake ProjectX.
import { describe, expect, it } from 'vitest';
import { exchangeCalendarSpecByName, SessionCalendar, type SessionCalendarSpec } from '../../core/src/index.ts';
import { downloadHistory } from '../../scripts/lib/history/download-history.ts';
import { syntheticBars } from '../support/synthetic-bars.ts';
import {
  cme,
  date,
  mesBars,
  mesRequest,
  mesSource,
  MINUTE,
  pool,
  projectx,
  settings,
  useDownloadHistoryFixture,
} from '../support/download-history-fixture.ts';

useDownloadHistoryFixture();

describe('download from ProjectX (pages newest first)', () => {
  it('reports gaps inside sessions only: not the daily break, not the weekend', async () => {
    // Tuesday 10:00-10:09 UTC missing; the range runs Sunday to Saturday, so the weekend is in it too.
    const hole = cme.sessionOpen(date('2025-01-07')) + 11 * 60 * MINUTE;
    projectx.rest.bars = mesBars.filter((b) => b.time < hole || b.time >= hole + 10 * MINUTE);
    const summary = await downloadHistory(mesRequest({ range: { startDate: date('2025-01-05'), endDate: date('2025-01-11') } }), {
      pool,
      source: mesSource(),
      settings,
    });
    // Thursday 2025-01-09 closed early (08:30 CT, National Day of Mourning): 930 bars expected that
    // day, not 1,380; the fake vendor's bars after the close are stored and are no gap.
    expect(summary.series[0]?.gaps).toEqual({
      expected: 4 * 1_380 + 930,
      missing: 10,
      rangeCount: 1,
      ranges: [{ first: hole, last: hole + 9 * MINUTE, bars: 10 }],
    });
  });

  it('does not count a holiday as a gap: Martin Luther King Jr. Day 2025 halts at 12:00 CT', async () => {
    // The vendor's bars as the CME traded: Friday 2025-01-17, then Sunday 17:00 CT to the Monday
    // holiday's 12:00 CT halt and Monday 17:00 CT to Tuesday 16:00 CT, both for trade date Tuesday.
    const exchange = new SessionCalendar(exchangeCalendarSpecByName('cme_equity_futures') as SessionCalendarSpec);
    const times: number[] = [];
    for (const session of exchange.sessions(date('2025-01-16') + 23 * 60 * MINUTE, date('2025-01-21') + 22 * 60 * MINUTE)) {
      for (const span of session.spans) for (let t = span.from; t < span.to; t += MINUTE) times.push(t);
    }
    projectx.rest.bars = syntheticBars(times.length, { start: 0, stepMs: 1, seed: 9 }).map((b, i) => ({ ...b, time: times[i] as number }));
    const summary = await downloadHistory(mesRequest({ range: { startDate: date('2025-01-17'), endDate: date('2025-01-21') } }), {
      pool,
      source: mesSource(),
      settings,
    });
    // Friday 23 h; Tuesday 19 h before the halt (Sunday 23:00 to Monday 18:00 UTC) and 23 h after it;
    // without the holiday the calendar would expect Monday 18:00-22:00 UTC too and report 240 missing.
    expect(times).toHaveLength((23 + 19 + 23) * 60);
    expect(summary.series[0]?.gaps).toEqual({ expected: (23 + 19 + 23) * 60, missing: 0, rangeCount: 0, ranges: [] });
  });
});
