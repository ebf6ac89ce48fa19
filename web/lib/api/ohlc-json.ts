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

/** Bars per chunk of a streamed answer: about 1.3 MB of JSON, so gzip (on libuv's threads) works on
 * one chunk while the next is joined, and memory holds a chunk or two rather than the whole text. */
export const STREAMED_CHUNK_BARS = 10_000;

/** The same text as ohlcResponseJson, as a stream of UTF-8 chunks made as the client takes them. */
export function ohlcResponseStream(contractId: string, timeframe: string, bars: readonly StoredBar[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(
          encoder.encode(`{"contract_id":${JSON.stringify(contractId)},"timeframe":${JSON.stringify(timeframe)},"bars":[`),
        );
      },
      pull(controller) {
        if (next >= bars.length) {
          controller.enqueue(encoder.encode(']}'));
          controller.close();
          return;
        }
        const end = Math.min(next + STREAMED_CHUNK_BARS, bars.length);
        const parts = new Array<string>(end - next);
        for (let i = next; i < end; i++) parts[i - next] = wireBarJson(bars[i] as StoredBar);
        controller.enqueue(encoder.encode(`${next === 0 ? '' : ','}${parts.join(',')}`));
        next = end;
      },
    },
    { highWaterMark: 1 },
  );
}
