import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { signToken } from '@barstream/core/node';
import { UpgradeGate } from './upgrade-gate.ts';

const request = (url: string, headers: Record<string, string> = {}) => ({ url, headers }) as unknown as IncomingMessage;

describe('UpgradeGate', () => {
  it('accepts the token from the query or an Authorization bearer header, nothing else', () => {
    const gate = new UpgradeGate({ token: 's3cret', allowedOrigins: [] });
    expect(gate.check(request('/?token=s3cret'))).toBeUndefined();
    expect(gate.check(request('/', { authorization: 'Bearer s3cret' }))).toBeUndefined();
    expect(gate.check(request('/', { authorization: 'bearer s3cret' }))).toBeUndefined();
    for (const refused of [
      request('/'),
      request('/?token=s3cre'),
      request('/?token=s3cret2'),
      request('/', { authorization: 's3cret' }),
      request('/?token=', { authorization: 'Bearer ' }),
    ]) {
      expect(gate.check(refused)).toMatchObject({ status: 401, reason: 'token' });
    }
  });

  it('checks Origin against the allowlist when one is set; no Origin (not a browser) passes', () => {
    const gate = new UpgradeGate({ allowedOrigins: ['http://localhost:3000'] });
    expect(gate.check(request('/', { origin: 'http://localhost:3000' }))).toBeUndefined();
    expect(gate.check(request('/'))).toBeUndefined();
    expect(gate.check(request('/', { origin: 'http://localhost:3001' }))).toMatchObject({ status: 403, reason: 'origin' });
    expect(new UpgradeGate({ allowedOrigins: [] }).check(request('/', { origin: 'http://anywhere' }))).toBeUndefined();
  });
});

describe('UpgradeGate tickets', () => {
  const secret = 'x'.repeat(43);
  const now = Date.UTC(2026, 0, 5, 12);
  const ticket = (exp: number, purpose: 'ws-ticket' | 'session' = 'ws-ticket') =>
    encodeURIComponent(signToken(secret, purpose, { sub: '1', scope: 'read', exp }));

  it('requires a valid, unexpired ticket when tickets are required', () => {
    const gate = new UpgradeGate({ allowedOrigins: [], tickets: { secret, required: true, now: () => now } });
    expect(gate.check(request(`/?ticket=${ticket(now + 60_000)}`))).toBeUndefined();
    expect(gate.check(request(`/?ticket=${ticket(now)}`))).toMatchObject({
      status: 401,
      reason: 'token',
      message: expect.stringMatching(/expired/) as unknown,
    });
    expect(gate.check(request(`/?ticket=${ticket(now + 60_000, 'session')}`))).toMatchObject({ status: 401 });
    expect(gate.check(request('/'))).toMatchObject({ status: 401, message: expect.stringMatching(/missing ticket/) as unknown });
    const otherSecret = new UpgradeGate({ allowedOrigins: [], tickets: { secret: 'y'.repeat(43), required: true, now: () => now } });
    expect(otherSecret.check(request(`/?ticket=${ticket(now + 60_000)}`))).toMatchObject({ status: 401 });
  });

  it('admits a ticket in place of the token, and the token still works', () => {
    const gate = new UpgradeGate({ token: 's3cret', allowedOrigins: [], tickets: { secret, required: false, now: () => now } });
    expect(gate.check(request(`/?ticket=${ticket(now + 1)}`))).toBeUndefined();
    expect(gate.check(request('/?token=s3cret'))).toBeUndefined();
    expect(gate.check(request(`/?ticket=${ticket(now - 1)}`))).toMatchObject({ status: 401 });
  });

  it('asks for nothing when tickets are not required and there is no token', () => {
    const gate = new UpgradeGate({ allowedOrigins: [], tickets: { secret, required: false, now: () => now } });
    expect(gate.check(request('/'))).toBeUndefined();
  });
});
