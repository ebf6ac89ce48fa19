import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, maybeGzip, MIN_GZIP_BYTES } from './gzip-answer.ts';

const asking = (acceptEncoding: string | null): Request =>
  new Request('http://localhost/api/ohlc', acceptEncoding === null ? {} : { headers: { 'accept-encoding': acceptEncoding } });
const large = JSON.stringify({ bars: Array.from({ length: 2_000 }, (_, i) => ({ close: 5000 + i / 4 })) });

async function bytesOf(body: BodyInit): Promise<Buffer> {
  return Buffer.from(await new Response(body).arrayBuffer());
}

describe('acceptsGzip', () => {
  it.each([
    ['gzip, deflate, br, zstd', true],
    ['br;q=1.0, GZIP;q=0.5', true],
    ['*', true],
    ['gzip;q=0', false],
    ['gzip; q=0.000, deflate', false],
    ['deflate, br', false],
    ['', false],
    [null, false],
  ])('%s → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

describe('maybeGzip', () => {
  it('gzips a large answer for a client that takes gzip, and says so', async () => {
    expect(large.length).toBeGreaterThan(MIN_GZIP_BYTES);
    const { body, headers } = await maybeGzip(asking('gzip, deflate'), large);
    expect(headers).toEqual({ 'content-encoding': 'gzip', vary: 'Accept-Encoding' });
    const zipped = await bytesOf(body);
    expect(zipped.length).toBeLessThan(large.length / 4);
    expect(gunzipSync(zipped).toString('utf8')).toBe(large);
  });

  it('gzips a stream chunk by chunk, whole and in order', async () => {
    const parts = ['{"bars":[', large, ',', large, ']}'];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
        controller.close();
      },
    });
    const { body, headers } = await maybeGzip(asking('gzip'), stream);
    expect(headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(await bytesOf(body)).toString('utf8')).toBe(parts.join(''));
  });

  it('leaves small answers, and clients that do not take gzip, as they are', async () => {
    expect(await maybeGzip(asking('gzip'), '{"a":1}')).toEqual({ body: '{"a":1}', headers: {} });
    expect(await maybeGzip(asking('br'), large)).toEqual({ body: large, headers: {} });
    expect(await maybeGzip(undefined, large)).toEqual({ body: large, headers: {} });
  });
});
