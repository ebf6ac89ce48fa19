import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpPoster, MAX_BODY_BYTES } from './http-post.ts';

/** A receiver that answers `handle` and numbers each connection's requests (1, 2, …). */
async function receiver(
  handle: (req: IncomingMessage, res: ServerResponse, nth: number) => void,
): Promise<{ server: Server; url: URL; connections: () => number }> {
  const seen = new WeakMap<Socket, number>();
  let connections = 0;
  const server = createServer((req, res) => {
    const nth = (seen.get(req.socket) ?? 0) + 1;
    seen.set(req.socket, nth);
    req.resume();
    req.on('end', () => handle(req, res, nth));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: new URL(`http://127.0.0.1:${port}/hook`), connections: () => connections };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

const post = (poster: HttpPoster, url: URL, body = '{}') =>
  poster.post(url, { 'content-type': 'application/json' }, body, AbortSignal.timeout(30_000), { readBody: true });

describe('HttpPoster', () => {
  it('answers the status, headers and, when asked, the body', async () => {
    const r = await receiver((_req, res) => res.writeHead(201, { 'retry-after': '7' }).end('{"ok":true}'));
    servers.push(r.server);
    const answer = await post(new HttpPoster(), r.url);
    expect({ status: answer.status, retryAfter: answer.header('Retry-After'), body: answer.body }).toEqual({
      status: 201,
      retryAfter: '7',
      body: '{"ok":true}',
    });
    const unread = await new HttpPoster().post(r.url, {}, 'x', AbortSignal.timeout(30_000));
    expect(unread.body).toBeUndefined();
  });

  it('sends again on another socket when a kept-alive one was closed by the receiver before it read the request', async () => {
    // The second request on a connection finds it closed, as when the receiver's keep-alive timeout
    // passed while the sender's process stalled: the receiver drops it unread.
    const handled: string[] = [];
    const r = await receiver((req, res, nth) => {
      if (nth === 2) {
        req.socket.destroy();
        return;
      }
      handled.push(`conn request ${nth}`);
      res.end('{"ok":true}');
    });
    servers.push(r.server);
    const poster = new HttpPoster();
    expect((await post(poster, r.url, '{"n":1}')).status).toBe(200);
    expect((await post(poster, r.url, '{"n":2}')).status).toBe(200);
    // The second went out on the first connection (dropped unread), then once on a new one.
    expect(r.connections()).toBe(2);
    expect(handled).toEqual(['conn request 1', 'conn request 1']);
  });

  it('does not send again when a fresh connection is reset: the receiver may have taken the request', async () => {
    let received = 0;
    const r = await receiver((req) => {
      received++;
      req.socket.destroy();
    });
    servers.push(r.server);
    await expect(post(new HttpPoster(), r.url)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect({ received, connections: r.connections() }).toEqual({ received: 1, connections: 1 });
  });

  it('refuses a body longer than it reads', async () => {
    const r = await receiver((_req, res) => res.end(Buffer.alloc(MAX_BODY_BYTES + 1, 'x')));
    servers.push(r.server);
    await expect(post(new HttpPoster(), r.url)).rejects.toThrow(`answer body longer than ${MAX_BODY_BYTES} bytes`);
  });
});
