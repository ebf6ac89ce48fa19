import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
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
