// Historical download's gap report: missing bars are counted against the session calendar, so only
// holes inside CME sessions count, never the daily break or the weekend. Against the local fake ProjectX.
import { describe, expect, it } from 'vitest';
import { downloadHistory } from '../../scripts/lib/history/download-history.ts';
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
    expect(summary.series[0]?.gaps).toEqual({
      expected: 6_900,
      missing: 10,
      rangeCount: 1,
      ranges: [{ first: hole, last: hole + 9 * MINUTE, bars: 10 }],
    });
  });
});
