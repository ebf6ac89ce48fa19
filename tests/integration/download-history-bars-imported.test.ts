// Historical download's bars_imported notification: one per written range, with the range and count of
// the bars that changed; none when a rerun changed nothing. Against the local fake ProjectX.
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../core/src/index.ts';
import { downloadHistory, type DownloadDeps } from '../../scripts/lib/history/download-history.ts';
import type { FakeBar } from '../fakes/projectx-server.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import {
  cme,
  db,
  FRIDAY,
  MES,
  mesBars,
  mesRequest,
  mesSource,
  MONDAY,
  pool,
  settings,
  useDownloadHistoryFixture,
} from '../support/download-history-fixture.ts';

useDownloadHistoryFixture();

describe('bars_imported', () => {
  it('is sent once per written range, with the range of changed bars and their count; never when nothing changed', async () => {
    const listener = await ChannelListener.listen(db.url, 'barsImported');
    try {
      const deps: DownloadDeps = { pool, source: mesSource(), settings, windowBars: 3_000 };
      await downloadHistory(mesRequest(), deps);
      await downloadHistory(mesRequest({ force: true }), deps);
      const received = await listener.take(3);
      const day = (d: number) => mesBars.filter((b) => b.time >= cme.sessionOpen(d) && b.time < cme.sessionOpen(d + DAY_MS));
      const expected = [
        [MONDAY, MONDAY + DAY_MS],
        [MONDAY + 2 * DAY_MS, MONDAY + 3 * DAY_MS],
        [FRIDAY, FRIDAY],
      ].map(([a, b]) => {
        const bars = [...day(a as number), ...(a === b ? [] : day(b as number))];
        return {
          type: 'bars_imported',
          contract_id: MES,
          timeframe_unit: 2,
          timeframe_value: 1,
          from: new Date((bars[0] as FakeBar).time).toISOString(),
          to: new Date((bars[bars.length - 1] as FakeBar).time).toISOString(),
          count: bars.length,
        };
      });
      expect(received).toEqual(expected);
    } finally {
      await listener.end();
    }
  });
});
