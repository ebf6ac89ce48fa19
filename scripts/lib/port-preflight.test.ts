import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../tests/support/free-port.ts';
import { findTakenPort, type PortClaim } from './port-preflight.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

function occupy(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    servers.push(server);
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

const claim = (setting: string, env: string, port: number): PortClaim => ({ setting, env, host: '127.0.0.1', port });

describe('findTakenPort', () => {
  it('passes when every port is free, and leaves them free', async () => {
    const claims = [claim('web.port', 'WEB_PORT', await freePort()), claim('broadcaster.port', 'WEBSOCKET_PORT', await freePort())];
    expect(await findTakenPort(claims)).toBeUndefined();
    // Nothing is held afterwards: the same ports can be bound again.
    for (const c of claims) await occupy(c.port);
  });

  it('names the taken port, its setting and the variable to change', async () => {
    const taken = await freePort();
    await occupy(taken);
    const line = await findTakenPort([claim('web.port', 'WEB_PORT', await freePort()), claim('broadcaster.port', 'WEBSOCKET_PORT', taken)]);
    expect(line).toBe(
      `port ${taken} on 127.0.0.1 (broadcaster.port) is taken: set WEBSOCKET_PORT to a free port, or stop what listens there`,
    );
  });

  it('catches two settings that name the same port', async () => {
    const port = await freePort();
    const line = await findTakenPort([claim('web.port', 'WEB_PORT', port), claim('ingester.metrics_port', 'INGESTER_METRICS_PORT', port)]);
    expect(line).toBe(`ingester.metrics_port and web.port are both port ${port}: set INGESTER_METRICS_PORT to another port`);
  });
});
