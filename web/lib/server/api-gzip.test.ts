import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsGzip, compressApiAnswer } from './api-gzip.ts';

const BODY = JSON.stringify({ bars: Array.from({ length: 3_000 }, (_, i) => ({ close: 5000 + i / 4, volume: i % 13 })) });
/** What Next.js's own compression would negotiate with: the request's Accept-Encoding once the hook ran. */
const seenByNext: (string | undefined)[] = [];
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    compressApiAnswer(req, res);
    seenByNext.push(req.headers['accept-encoding']);
    res.setHeader('content-type', 'application/json');
    res.end(BODY);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The raw answer: its content-encoding and the bytes as sent. */
function get(acceptEncoding: string | undefined): Promise<{ encoding: string | undefined; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
    request({ host: '127.0.0.1', port, path: '/api/ohlc', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('compressApiAnswer', () => {
  it("gzips at zlib's fastest level for a client that takes gzip, and hides the header from Next.js", async () => {
    seenByNext.length = 0;
    const { encoding, bytes } = await get('gzip, deflate, br, zstd');
    expect(encoding).toBe('gzip');
    expect(gunzipSync(bytes).toString('utf8')).toBe(BODY);
    expect(bytes.length).toBe(gzipSync(BODY, { level: constants.Z_BEST_SPEED }).length);
    expect(bytes.length).not.toBe(gzipSync(BODY).length); // not the default level
    expect(seenByNext).toEqual(['identity']);
  });

  it('sends the answer as it is to a client that does not take gzip', async () => {
    for (const header of ['br', 'gzip;q=0', undefined]) {
      const { encoding, bytes } = await get(header);
      expect(encoding).toBeUndefined();
      expect(bytes.toString('utf8')).toBe(BODY);
    }
  });
});

describe('acceptsGzip', () => {
  it.each([
    ['gzip, deflate, br, zstd', true],
    ['br;q=1.0, GZIP;q=0.5', true],
    ['*', true],
    ['gzip;q=0', false],
    ['gzip; q=0.000, deflate', false],
    ['deflate, br', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});
