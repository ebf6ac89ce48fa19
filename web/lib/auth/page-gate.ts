// The pages under auth.mode all: they render stored data on the server, so without a valid session
// they send the visitor to /sign-in (and back afterwards). Other modes leave pages open.
import { type AccessDeps, type AuthMode, sessionIdentity } from '../api/access-gate.ts';

/** Reachable without a session: the sign-in page itself, and the ticket route (which answers 401). */
const PUBLIC_PREFIXES = ['/sign-in', '/session/'];

/** Where to send the visitor, or undefined to let the page render. */
export async function pageRedirect(
  pathname: string,
  search: string,
  cookie: string | undefined,
  deps: AccessDeps,
): Promise<string | undefined> {
  if (PUBLIC_PREFIXES.some((p) => pathname === p || pathname.startsWith(p))) return undefined;
  const mode = await deps.mode().catch((): AuthMode => 'write');
  if (mode !== 'all') return undefined;
  if (await sessionIdentity(cookie, deps)) return undefined;
  return `/sign-in?next=${encodeURIComponent(`${pathname}${search}`)}`;
}
