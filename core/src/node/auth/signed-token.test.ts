import { describe, expect, it } from 'vitest';
import { signToken, verifyToken } from './signed-token.ts';

const SECRET = 'a'.repeat(43);
const NOW = Date.UTC(2026, 0, 5, 12);
const claims = { sub: '7', scope: 'read' as const, exp: NOW + 60_000 };

describe('signed tokens', () => {
  it('verifies what the same secret signed for the same purpose, until it expires', () => {
    const ticket = signToken(SECRET, 'ws-ticket', claims);
    expect(verifyToken(SECRET, 'ws-ticket', ticket, NOW)).toEqual(claims);
    expect(verifyToken(SECRET, 'ws-ticket', ticket, NOW + 59_999)).toEqual(claims);
    expect(verifyToken(SECRET, 'ws-ticket', ticket, NOW + 60_000)).toBeUndefined();
  });

  it('refuses another purpose, another secret, and a changed payload or signature', () => {
    const ticket = signToken(SECRET, 'ws-ticket', claims);
    expect(verifyToken(SECRET, 'session', ticket, NOW)).toBeUndefined();
    expect(verifyToken('b'.repeat(43), 'ws-ticket', ticket, NOW)).toBeUndefined();
    const [body, mac] = ticket.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ ...claims, scope: 'write', purpose: 'ws-ticket' })).toString('base64url');
    expect(verifyToken(SECRET, 'ws-ticket', `${forged}.${mac}`, NOW)).toBeUndefined();
    expect(verifyToken(SECRET, 'ws-ticket', `${body}.${mac.slice(0, -2)}`, NOW)).toBeUndefined();
    for (const junk of ['', '.', 'abc', `${body}.`, 'x'.repeat(5_000)]) expect(verifyToken(SECRET, 'ws-ticket', junk, NOW)).toBeUndefined();
  });
});
