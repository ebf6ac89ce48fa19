import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredBar } from '../server/stored-bars.ts';
import { ohlcResponseJson, ohlcResponseStream, STREAMED_CHUNK_BARS, wireBarJson } from './ohlc-json.ts';
import { ohlcResponseSchema } from './response-schemas.ts';

const storedBar = fc.record({
  time: fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }),
  open: fc.double({ noNaN: true, noDefaultInfinity: true }),
  high: fc.double({ noNaN: true, noDefaultInfinity: true }),
  low: fc.double({ noNaN: true, noDefaultInfinity: true }),
  close: fc.double({ noNaN: true, noDefaultInfinity: true }),
  volume: fc.double({ noNaN: true, noDefaultInfinity: true }),
  isClosed: fc.boolean(),
});

describe('ohlcResponseJson', () => {
  it('writes exactly what JSON.stringify of the schema-parsed answer writes', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(storedBar, { maxLength: 20 }), (contractId, bars) => {
        const answer = ohlcResponseSchema.parse({
          contract_id: contractId,
          timeframe: '5m',
          bars: bars.map((b) => ({
            timestamp: new Date(b.time).toISOString(),
            open: b.open,
            high: b.high,
            low: b.low,
            close: b.close,
            volume: b.volume,
            is_closed: b.isClosed,
          })),
        });
        expect(ohlcResponseJson(contractId, '5m', bars)).toBe(JSON.stringify(answer));
      }),
    );
  });

  it('refuses a bar the wire schema refuses (NaN, Infinity), naming the field', () => {
    const bar: StoredBar = { time: 0, open: 1, high: Number.NaN, low: 0.5, close: 1.5, volume: 3, isClosed: false };
    expect(() => wireBarJson(bar)).toThrow(/high/);
    expect(() => wireBarJson({ ...bar, high: 2, volume: Number.POSITIVE_INFINITY })).toThrow(/volume/);
  });

  it('writes a bar once and reuses the text', () => {
    const bar: StoredBar = { time: 0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3, isClosed: false };
    expect(wireBarJson(bar)).toBe(wireBarJson(bar));
    expect(wireBarJson(bar)).toBe(
      '{"timestamp":"1970-01-01T00:00:00.000Z","open":1,"high":2,"low":0.5,"close":1.5,"volume":3,"is_closed":false}',
    );
  });
});

/** The stream's chunks, decoded and joined. */
async function streamText(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
  const decoder = new TextDecoder();
  let text = '';
  let chunks = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    chunks++;
  }
  return { text: text + decoder.decode(), chunks };
}

describe('ohlcResponseStream', () => {
  const bars = (n: number): StoredBar[] =>
    Array.from({ length: n }, (_, i) => ({
      time: Date.UTC(2025, 0, 1) + i * 60_000,
      open: 5000 + (i % 97) * 0.25,
      high: 5001.5,
      low: 4998.75,
      close: 5000.1 + i,
      volume: i % 13,
      isClosed: i < n - 1,
    }));

  it.each([0, 1, STREAMED_CHUNK_BARS, 2 * STREAMED_CHUNK_BARS + 1])('streams the text ohlcResponseJson writes (%i bars)', async (n) => {
    const all = bars(n);
    const { text, chunks } = await streamText(ohlcResponseStream('C.A', '1m', all));
    expect(text).toBe(ohlcResponseJson('C.A', '1m', all));
    // The opening, one chunk per STREAMED_CHUNK_BARS bars, the closing.
    expect(chunks).toBe(2 + Math.ceil(n / STREAMED_CHUNK_BARS));
  });
});
