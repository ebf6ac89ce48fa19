// Who may make an /api/* request (web/proxy.ts runs it after api-gate.ts): generic over the two route
// registries, so a route added to write-routes.ts is protected with no code of its own. Per auth.mode:
// off — nobody is asked; write — every write method needs a write key, reads are open; all — every
// request needs a key (Authorization: Bearer) or a signed-in session (cookie). Then the rate limit of
// the key, or of the client address when there is none.
import { type ApiKeyVerifier, type Principal, verifyToken } from '@barstream/core/node';
import type { RateDecision, RateSubject } from '../auth/request-rate-limits.ts';
import type { ApiError } from './response-schemas.ts';
import { writeMethodsOf } from './write-routes.ts';

export type AuthMode = 'off' | 'write' | 'all';

/** Answered to anyone in every mode: load balancers and `npm start`'s readiness check poll it. */
export const OPEN_PATHS: readonly string[] = ['/api/health'];
export const SESSION_COOKIE = 'barstream_session';

export interface AccessRequest {
  readonly method: string;
  readonly pathname: string;
  readonly authorization: string | null;
  readonly sessionCookie: string | undefined;
  readonly clientAddress: string;
}

export interface AccessDeps {
  /** auth.mode, or when unset: write once any API key exists, else off. */
  readonly mode: () => Promise<AuthMode>;
  readonly verifier: ApiKeyVerifier;
  readonly secret: string;
  readonly limits: { take(subject: RateSubject): Promise<RateDecision> };
  readonly now: () => number;
}

export type AccessResult =
  | { readonly allowed: true; readonly principal: Principal | undefined; readonly headers: Readonly<Record<string, string>> }
  | { readonly allowed: false; readonly response: Response };

const NO_STORE = { 'cache-control': 'no-store' };
const CHALLENGE = { 'www-authenticate': 'Bearer realm="barstream"' };
const HOW = 'send Authorization: Bearer <key> (npm run keys -- create --name <name> --scope read|write) or sign in at /sign-in';

/** Whether `method` on `pathname` is one of the write routes (write-routes.ts). */
export function isWriteRequest(method: string, pathname: string): boolean {
  return writeMethodsOf(pathname).includes(method.toUpperCase());
}

export async function checkAccess(request: AccessRequest, deps: AccessDeps): Promise<AccessResult> {
  const write = isWriteRequest(request.method, request.pathname);
  const open = !write && OPEN_PATHS.includes(request.pathname);
  // A read must not fail because the key count is unknown (the route itself reports the database);
  // a write then needs a key, whose check fails the same way: closed, never open.
  const mode = open ? 'off' : await deps.mode().catch((): AuthMode => 'write');
  let principal: Principal | undefined;
  if (mode !== 'off') {
    const identified = await identify(request, deps);
    if (identified === 'bad-key') {
      // Failed attempts spend the address's budget, so guessing is rate limited like anonymous reads.
      const decision = await deps.limits.take({ address: request.clientAddress });
      if (!decision.allowed)
        return refuse(429, 'rate_limited', `address ${request.clientAddress} is over its request rate`, decision.headers);
      const message = `the API key in Authorization is not a valid key (malformed, unknown or revoked); ${HOW}`;
      return refuse(401, 'unauthorized', message, { ...CHALLENGE, ...decision.headers });
    }
    principal = identified;
    const needed = write || mode === 'all';
    if (needed && !principal) {
      return refuse(
        401,
        'unauthorized',
        `${request.method} ${request.pathname} needs an API key${write ? ' of scope write' : ''}; ${HOW}`,
        CHALLENGE,
      );
    }
    if (write && principal && principal.scope !== 'write') {
      return refuse(
        403,
        'forbidden',
        `API key ${JSON.stringify(principal.name)} has scope read; ${request.method} ${request.pathname} needs a write key`,
      );
    }
  }
  const decision = await deps.limits.take(principal ? { keyId: principal.keyId } : { address: request.clientAddress });
  if (!decision.allowed) {
    const who = principal ? `API key ${JSON.stringify(principal.name)}` : `address ${request.clientAddress}`;
    return refuse(
      429,
      'rate_limited',
      `${who} is over its request rate; retry after ${decision.headers['retry-after'] ?? '1'} s`,
      decision.headers,
    );
  }
  return { allowed: true, principal, headers: decision.headers };
}

/** The bearer key's owner, else the session's, else undefined; 'bad-key' when a key was sent and fails. */
async function identify(request: AccessRequest, deps: AccessDeps): Promise<Principal | undefined | 'bad-key'> {
  if (request.authorization !== null) {
    const key = /^Bearer\s+(\S+)\s*$/i.exec(request.authorization)?.[1];
    if (key === undefined) return 'bad-key';
    return (await deps.verifier.verify(key)) ?? 'bad-key';
  }
  return sessionIdentity(request.sessionCookie, deps);
}

/** The key a session cookie names while it is valid and the key unrevoked. A stale or foreign cookie
 * is no identity, not an error: the request is judged as anonymous. */
export async function sessionIdentity(
  cookie: string | undefined,
  deps: Pick<AccessDeps, 'secret' | 'verifier' | 'now'>,
): Promise<Principal | undefined> {
  if (cookie === undefined) return undefined;
  const claims = verifyToken(deps.secret, 'session', cookie, deps.now());
  return claims && deps.verifier.active(claims.sub);
}

function refuse(status: 401 | 403 | 429, code: string, message: string, headers: Readonly<Record<string, string>> = {}): AccessResult {
  const body: ApiError = { error: { code, message } };
  return { allowed: false, response: Response.json(body, { status, headers: { ...NO_STORE, ...headers } }) };
}
