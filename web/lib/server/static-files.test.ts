import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressFiles } from '../../precompress.ts';
import { StaticFiles } from './static-files.ts';

const CHUNK = `(globalThis.chunk=[${'1,'.repeat(5_000)}])`;
const BOOT = `(function(){/* boot */${'2,'.repeat(3_000)}})()`;
let dir: string;
let server: Server;
let port: number;

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'static-files-'));
  write(join(dir, '.next/static/chunks/app-1a.js'), CHUNK);
  write(join(dir, '.next/static/chunks/page.css'), 'body{margin:0}');
  write(join(dir, 'public/chart-boot.js'), BOOT);
  precompressFiles(join(dir, '.next/static'));
  precompressFiles(join(dir, 'public'));
  // Placed after the copies were made: no gzipped copy beside it.
  write(join(dir, '.next/static/chunks/late.js'), 'late');
  const files = new StaticFiles(dir);
  server = createServer((req, res) => {
    if (files.answer(req, res)) return;
    res.setHeader('x-answered-by', 'next');
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly bytes: Buffer;
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('StaticFiles', () => {
  it('answers a build chunk gzipped, immutable, to a client that takes gzip', async () => {
    const a = await get('/_next/static/chunks/app-1a.js?dpl=x', { 'accept-encoding': 'gzip, deflate' });
    expect(a.status).toBe(200);
    expect(a.headers['content-encoding']).toBe('gzip');
    expect(a.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(a.headers['content-type']).toBe('application/javascript; charset=UTF-8');
    expect(a.headers.vary).toBe('Accept-Encoding');
    expect(Number(a.headers['content-length'])).toBe(a.bytes.length);
    expect(a.bytes.length).toBeLessThan(CHUNK.length / 10);
    expect(gunzipSync(a.bytes).toString()).toBe(CHUNK);
  });

  it('answers the plain file to a client that does not take gzip, and no body to HEAD', async () => {
    const plain = await get('/_next/static/chunks/page.css', { 'accept-encoding': 'gzip;q=0, br' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toBe('text/css; charset=UTF-8');
    expect(plain.bytes.toString()).toBe('body{margin:0}');
    const head = await get('/_next/static/chunks/page.css', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('body{margin:0}'.length));
    expect(head.bytes.length).toBe(0);
  });

  it('revalidates the chart boot script by its ETag', async () => {
    const first = await get('/chart-boot.js', { 'accept-encoding': 'gzip' });
    expect(first.headers['cache-control']).toBe('public, max-age=0');
    expect(gunzipSync(first.bytes).toString()).toBe(BOOT);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get('/chart-boot.js', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    expect((await get('/chart-boot.js', { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('leaves to Next.js what it does not hold: no gzipped copy, missing files, other paths, ranges, other methods', async () => {
    const asked = [
      get('/_next/static/chunks/late.js'),
      get('/_next/static/chunks/missing.js'),
      get('/_next/static/chunks/../../../etc/passwd.js'),
      get('/_next/static/chunks/%2e%2e/app-1a.js'),
      get('/_next/static/media/font.woff2'),
      get('/other.js'),
      get('/api/ohlc'),
      get('/_next/static/chunks/app-1a.js', { range: 'bytes=0-10' }),
      get('/_next/static/chunks/app-1a.js', {}, 'POST'),
    ];
    for (const a of await Promise.all(asked)) expect(a.headers['x-answered-by']).toBe('next');
  });
});
