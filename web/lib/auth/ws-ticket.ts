// WebSocket tickets for the page: signed with auth.secret for the broadcaster (which verifies them
// with the same secret), for the signed-in key, or `anonymous` while reads are open.
import 'server-only';
import { signToken } from '@barstream/core/node';
import type { AuthMode } from '../api/access-gate.ts';
import { webAccess } from '../server/access.ts';
import { sessionPrincipal } from './session.ts';

export interface WsTicket {
  readonly ticket: string;
  /** ISO-8601: the broadcaster refuses it from then on (a connection made before stays open). */
  readonly expires_at: string;
}

/** undefined: auth.mode all and no valid session. */
export async function issueWsTicket(): Promise<WsTicket | undefined> {
  const access = webAccess();
  const mode = await access.mode().catch((): AuthMode => 'write');
  const principal = mode === 'off' ? undefined : await sessionPrincipal();
  if (mode === 'all' && !principal) return undefined;
  const exp = access.now() + access.ticketTtlMs;
  const ticket = signToken(access.secret, 'ws-ticket', { sub: principal?.keyId ?? 'anonymous', scope: principal?.scope ?? 'read', exp });
  return { ticket, expires_at: new Date(exp).toISOString() };
}
