// auth.mode all on a real broadcaster: only a ticket signed with the shared secret, unexpired, for the
// WebSocket, opens a connection (which then gets data); everything else is a 401 before any socket.
import { describe, expect, it } from 'vitest';
import { signToken } from '../../core/src/node/auth/signed-token.ts';
import { subscribe, ticksPayload } from '../support/broadcaster-fixture.ts';
import { useBroadcaster } from '../support/use-broadcaster.ts';

const SECRET = 'broadcaster-ticket-secret-'.repeat(2);

const ground = useBroadcaster({ ticketSecret: SECRET });

const ticket = (exp: number, purpose: 'ws-ticket' | 'session' = 'ws-ticket', secret = SECRET): string =>
  encodeURIComponent(signToken(secret, purpose, { sub: '1', scope: 'read', exp }));

describe('broadcaster tickets', () => {
  it('refuses no ticket, an expired one, a session token and one of another secret with 401', async () => {
    await expect(ground.connect('')).rejects.toThrow('HTTP 401');
    await expect(ground.connect(`?ticket=${ticket(Date.now() - 1)}`)).rejects.toThrow('HTTP 401');
    await expect(ground.connect(`?ticket=${ticket(Date.now() + 3_600_000, 'session')}`)).rejects.toThrow('HTTP 401');
    await expect(ground.connect(`?ticket=${ticket(Date.now() + 3_600_000, 'ws-ticket', 'another-secret-'.repeat(3))}`)).rejects.toThrow(
      'HTTP 401',
    );
    const metrics = await (await fetch(`http://127.0.0.1:${ground.service.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^broadcaster_refused_upgrades_total\{reason="token"[^}]*\} 4$/m);
  });

  it('admits a valid ticket, and the connection gets what it subscribed to', async () => {
    const c = await ground.connect(`?ticket=${ticket(Date.now() + 3_600_000)}`);
    await subscribe(c, { channel: 'ticks', contract_id: 'TEST.A' });
    await ground.notifier.notify('tickData', [ticksPayload('TEST.A', 1)]);
    await c.waitFor((m) => m.type === 'ticks' && m.contract_id === 'TEST.A');
  });
});
