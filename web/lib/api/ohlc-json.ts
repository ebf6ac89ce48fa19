// /api/ohlc's answer as JSON text, assembled from each bar's JSON: a bar held by the cache of
// recent bars is checked against the wire schema and written once, then reused by every answer
// that includes it (turning 60,000 doubles into text was most of a cached answer's time).
import { isoFromEpochMs } from '../queries/iso-time.ts';
import type { StoredBar } from '../server/stored-bars.ts';
import { wireBarSchema } from './response-schemas.ts';

/** Dies with the bar: the cache's bound is this memo's bound. */
const written = new WeakMap<StoredBar, string>();

export function wireBarJson(bar: StoredBar): string {
  let text = written.get(bar);
  if (text === undefined) {
    text = JSON.stringify(
      wireBarSchema.parse({
        timestamp: isoFromEpochMs(bar.time),
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        volume: bar.volume,
        is_closed: bar.isClosed,
      }),
    );
    written.set(bar, text);
  }
  return text;
}

/** The text JSON.stringify(ohlcResponseSchema.parse(answer)) would give (ohlc-json.test.ts). */
export function ohlcResponseJson(contractId: string, timeframe: string, bars: readonly StoredBar[]): string {
  const parts = new Array<string>(bars.length);
  for (let i = 0; i < bars.length; i++) parts[i] = wireBarJson(bars[i] as StoredBar);
  return `{"contract_id":${JSON.stringify(contractId)},"timeframe":${JSON.stringify(timeframe)},"bars":[${parts.join(',')}]}`;
}
