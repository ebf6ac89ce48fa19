// The signed-in session: an httpOnly cookie holding a token signed with auth.secret that names the
// API key it was opened with (never the key itself). Its key is re-checked (revocation) on use.
import 'server-only';
import { type Principal, signToken, verifyToken } from '@barstream/core/node';
import { cookies } from 'next/headers';
import { SESSION_COOKIE } from '../api/access-gate.ts';
import { webAccess } from '../server/access.ts';

/** The signed-in key, when the request's cookie names one that is still valid. */
export async function sessionPrincipal(): Promise<Principal | undefined> {
  const value = (await cookies()).get(SESSION_COOKIE)?.value;
  if (value === undefined) return undefined;
  const access = webAccess();
  const claims = verifyToken(access.secret, 'session', value, access.now());
  return claims && access.verifier.active(claims.sub);
}

export async function openSession(principal: Principal, secure: boolean): Promise<void> {
  const access = webAccess();
  const exp = access.now() + access.sessionTtlMs;
  (await cookies()).set(SESSION_COOKIE, signToken(access.secret, 'session', { sub: principal.keyId, scope: principal.scope, exp }), {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    expires: new Date(exp),
  });
}

export async function closeSession(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
}
