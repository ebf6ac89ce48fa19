// Short-lived HMAC-SHA256 signed tokens: the web's session cookie and the broadcaster's WebSocket
// ticket. Each is signed for one purpose, so a session cookie is never accepted as a ticket.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export type TokenPurpose = 'session' | 'ws-ticket';

const claimsSchema = z.strictObject({
  /** Who: an API key's id, or `anonymous` when reads are open. */
  sub: z.string().min(1).max(40),
  scope: z.enum(['read', 'write']),
  /** Expiry, epoch milliseconds. */
  exp: z.number().int().positive(),
  purpose: z.enum(['session', 'ws-ticket']),
});
export type TokenClaims = Omit<z.infer<typeof claimsSchema>, 'purpose'>;

/** Longest token text looked at: a real one is about 150 characters. */
const MAX_TOKEN_LENGTH = 1_024;

export function signToken(secret: string, purpose: TokenPurpose, claims: TokenClaims): string {
  const body = Buffer.from(JSON.stringify({ ...claims, purpose }), 'utf8').toString('base64url');
  return `${body}.${mac(secret, body)}`;
}

/** The claims of a token this secret signed for this purpose and not yet expired at `nowMs`, else undefined. */
export function verifyToken(secret: string, purpose: TokenPurpose, token: string, nowMs: number): TokenClaims | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = Buffer.from(mac(secret, body), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = claimsSchema.safeParse(json);
  if (!parsed.success || parsed.data.purpose !== purpose || parsed.data.exp <= nowMs) return undefined;
  return { sub: parsed.data.sub, scope: parsed.data.scope, exp: parsed.data.exp };
}

function mac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64url');
}
