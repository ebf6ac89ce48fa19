// Historical download under rate limits: HTTP 429 from ProjectX and 429/418 from Binance are waited
// out for exactly their Retry-After, and the run completes. Against the local fakes.
import { beforeEach, describe, expect, it } from 'vitest';
import { downloadHistory } from '../../scripts/lib/history/download-history.ts';
import {
  BARS,
  binance,
  btcKlines,
  btcRequest,
  btcSource,
  mesRequest,
  mesSource,
  pool,
  projectx,
  recordingSleep,
  settings,
  useDownloadHistoryFixture,
} from '../support/download-history-fixture.ts';

useDownloadHistoryFixture();

describe('download from ProjectX (pages newest first)', () => {
  it('waits out HTTP 429 (Retry-After) and completes', async () => {
    projectx.rest.failNext(BARS, 429, { retryAfter: '1', times: 1 });
    const recorder = recordingSleep();
    const summary = await downloadHistory(mesRequest(), { pool, source: mesSource({ sleep: recorder.sleep }), settings });
    expect(recorder.waits).toEqual([1_000]);
    expect(summary.series[0]).toMatchObject({ outcome: 'done', inserted: 6_900 });
    expect(projectx.rest.callsTo(BARS).map((c) => c.status)).toEqual([429, 200]);
  });
});

describe('download from Binance (pages oldest first)', () => {
  const klines = btcKlines;

  beforeEach(() => binance.setKlines('BTCUSDT', '1m', klines));

  it.each([429, 418])('honours Retry-After on %i', async (status) => {
    binance.forceNext({ status, retryAfterSec: 1 });
    // The client's clock moves only by the waits it asks for: the request gate's wait is exactly the Retry-After.
    const waits: number[] = [];
    let clock = Date.now();
    const fakeSleep = (ms: number): Promise<void> => {
      waits.push(ms);
      clock += ms;
      return Promise.resolve();
    };
    const summary = await downloadHistory(btcRequest(), { pool, source: btcSource({ sleep: fakeSleep, now: () => clock }), settings });
    expect(waits).toEqual([1_000]);
    expect(summary.series[0]).toMatchObject({ outcome: 'done', inserted: 4_320 });
    expect(binance.klineRequests.map((r) => r.status)).toEqual([status, 200, 200, 200, 200, 200]);
  });
});
