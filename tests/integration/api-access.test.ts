// Who may use /api/* (web/lib/api/access-gate.ts) with keys in a real PostgreSQL: every write route of
// the registry (so routes added later are covered with no change here) refuses no key with 401 and a
// read key with 403; auth.mode all closes reads; one key's flood gets 429s while another is served.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyStore, ApiKeyVerifier, pgSqlRunner, signToken, type SqlRunner } from '../../core/src/node/auth/index.ts';
import { createPool, type Pool } from '../../core/src/node/db-pool.ts';
import { type AccessDeps, type AccessRequest, type AuthMode, checkAccess, OPEN_PATHS } from '../../web/lib/api/access-gate.ts';
import { API_PATHS } from '../../web/lib/api/api-gate.ts';
import { writeRoutes } from '../../web/lib/api/write-routes.ts';
import { authModeResolver } from '../../web/lib/auth/auth-mode.ts';
import { pageRedirect } from '../../web/lib/auth/page-gate.ts';
import { RequestRateLimits } from '../../web/lib/auth/request-rate-limits.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const SECRET = 'test-secret-'.repeat(4);
/** A concrete request path for a registry path: `{id}` becomes 1. */
const concrete = (path: string): string => path.replace(/\{[^}]+\}/g, '1');
const WRITES = Object.values(writeRoutes).map((r) => ({ method: r.method, path: concrete(r.path) }));
const READS = API_PATHS.filter((p) => !OPEN_PATHS.includes(p));

let db: TestDatabase;
let pool: Pool;
let store: ApiKeyStore;
let readKey: string;
let writeKey: string;
let writeKeyId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url, { max: 4 });
  store = new ApiKeyStore(pgSqlRunner(pool));
  readKey = (await store.create('reader', 'read')).key;
  const created = await store.create('writer', 'write');
  writeKey = created.key;
  writeKeyId = created.record.id;
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** The access checks' clock in every test: fixed, so no wall-clock margin decides an expiry. */
const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);

function deps(mode: AuthMode | undefined, overrides: Partial<AccessDeps> = {}): AccessDeps {
  return {
    mode: authModeResolver(mode, store),
    verifier: new ApiKeyVerifier(store),
    secret: SECRET,
    limits: new RequestRateLimits({ per_key: 1_000_000, per_ip: 1_000_000, window_seconds: 3_600, limit_loopback: true }),
    now: () => NOW,
    ...overrides,
  };
}

function request(method: string, pathname: string, auth: { key?: string; cookie?: string; from?: string } = {}): AccessRequest {
  return {
    method,
    pathname,
    authorization: auth.key === undefined ? null : `Bearer ${auth.key}`,
    sessionCookie: auth.cookie,
    clientAddress: auth.from ?? '203.0.113.7',
  };
}

async function statusOf(d: AccessDeps, req: AccessRequest): Promise<number> {
  const result = await checkAccess(req, d);
  return result.allowed ? 200 : result.response.status;
}

describe('the write routes of the registry', () => {
  it('has routes to check, every method among POST, PUT, PATCH, DELETE', () => {
    expect(WRITES.length).toBeGreaterThan(0);
    for (const w of WRITES) expect(['POST', 'PUT', 'PATCH', 'DELETE']).toContain(w.method);
  });

  it.each(['write', 'all'] as const)(
    'auth.mode %s: no key → 401, a read key → 403, a write key passes, on every write route',
    async (mode) => {
      const d = deps(mode);
      for (const { method, path } of WRITES) {
        const none = await checkAccess(request(method, path), d);
        expect(none.allowed, `${method} ${path}`).toBe(false);
        if (none.allowed) continue;
        expect(none.response.status).toBe(401);
        expect(none.response.headers.get('www-authenticate')).toBe('Bearer realm="barstream"');
        expect(await none.response.json()).toEqual({
          error: { code: 'unauthorized', message: expect.stringContaining(`${method} ${path} needs an API key of scope write`) as unknown },
        });
        const reader = await checkAccess(request(method, path, { key: readKey }), d);
        expect(reader.allowed ? 200 : reader.response.status, `${method} ${path} with a read key`).toBe(403);
        if (!reader.allowed) expect(((await reader.response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
        expect(await statusOf(d, request(method, path, { key: writeKey })), `${method} ${path} with a write key`).toBe(200);
        expect(await statusOf(d, request(method, path, { key: `${writeKey.slice(0, -1)}x` })), 'a wrong secret').toBe(401);
        expect(await statusOf(d, request(method, path, { key: 'not-a-key' })), 'a malformed key').toBe(401);
      }
    },
  );

  it('a signed-in session counts as its key; an expired or forged cookie counts as nobody', async () => {
    // The access check's clock is this fixed instant: expiry is judged against it, not the wall clock.
    const d = deps('write');
    const session = (sub: string, exp: number, secret = SECRET) => signToken(secret, 'session', { sub, scope: 'write', exp });
    const { method, path } = WRITES[0]!;
    expect(await statusOf(d, request(method, path, { cookie: session(writeKeyId, NOW + 60_000) }))).toBe(200);
    expect(await statusOf(d, request(method, path, { cookie: session(writeKeyId, NOW - 1) }))).toBe(401);
    expect(await statusOf(d, request(method, path, { cookie: session(writeKeyId, NOW + 60_000, 'another-secret-'.repeat(3)) }))).toBe(401);
    // A ticket is not a session, even with the same secret and claims.
    const ticket = signToken(SECRET, 'ws-ticket', { sub: writeKeyId, scope: 'write', exp: NOW + 60_000 });
    expect(await statusOf(d, request(method, path, { cookie: ticket }))).toBe(401);
  });
});

describe('reads', () => {
  it('are open in mode write (a read key is fine too), closed without a key in mode all except /api/health', async () => {
    const open = deps('write');
    const closed = deps('all');
    for (const path of READS) {
      expect(await statusOf(open, request('GET', path)), path).toBe(200);
      expect(await statusOf(closed, request('GET', path)), path).toBe(401);
      expect(await statusOf(closed, request('GET', path, { key: readKey })), path).toBe(200);
    }
    expect(await statusOf(closed, request('GET', '/api/health'))).toBe(200);
  });

  it('mode off asks nobody, whatever Authorization says', async () => {
    const d = deps('off');
    for (const { method, path } of WRITES) expect(await statusOf(d, request(method, path, { key: 'junk' }))).toBe(200);
  });
});

describe('the mode when auth.mode is unset', () => {
  it('is off while no key is active, write once one is', async () => {
    const other = await createTestDatabase();
    const otherPool = createPool(other.url, { max: 1 });
    try {
      const otherStore = new ApiKeyStore(pgSqlRunner(otherPool));
      let clock = 0;
      const mode = authModeResolver(undefined, otherStore, () => clock);
      expect(await mode()).toBe('off');
      const { record } = await otherStore.create('first', 'read');
      clock += 5_000;
      expect(await mode()).toBe('write');
      await otherStore.revoke(record.prefix);
      clock += 5_000;
      expect(await mode()).toBe('off');
    } finally {
      await otherPool.end();
      await other.drop();
    }
  });
});

describe('revocation and the verification cache', () => {
  it('checks a key once per TTL however many requests use it, and refuses it once revoked and the TTL passed', async () => {
    let lookups = 0;
    const counting: SqlRunner = {
      query: (text, values) => {
        if (text.includes('WHERE prefix')) lookups++;
        return pgSqlRunner(pool).query(text, values);
      },
    };
    const countingStore = new ApiKeyStore(counting);
    const { key, record } = await countingStore.create('short-lived', 'write');
    let clock = 1_000;
    const verifier = new ApiKeyVerifier(countingStore, { ttlMs: 10_000, now: () => clock });
    const answers = await Promise.all(Array.from({ length: 1_000 }, () => verifier.verify(key)));
    expect(answers.every((a) => a?.keyId === record.id)).toBe(true);
    expect(lookups).toBe(1);
    await countingStore.revoke(record.id);
    expect(await verifier.verify(key)).toBeDefined();
    clock += 10_000;
    expect(await verifier.verify(key)).toBeUndefined();
    expect(lookups).toBe(2);
  });
});

describe('rate limits', () => {
  it('1,000 requests from one key in one window: the quota passes, the rest get 429 with Retry-After, another key is served', async () => {
    const d = deps('write', { limits: new RequestRateLimits({ per_key: 100, per_ip: 10, window_seconds: 3_600, limit_loopback: false }) });
    const results = await Promise.all(
      Array.from({ length: 1_000 }, () => checkAccess(request('GET', '/api/contracts', { key: writeKey }), d)),
    );
    const refused = results.filter((r) => !r.allowed);
    expect(results.filter((r) => r.allowed)).toHaveLength(100);
    expect(refused).toHaveLength(900);
    const first = refused[0];
    if (first && !first.allowed) {
      expect(first.response.status).toBe(429);
      expect(first.response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(first.response.headers.get('ratelimit-policy')).toBe('"key";q=100;w=3600');
      expect(first.response.headers.get('ratelimit')).toMatch(/^"key";r=0;t=\d+$/);
      expect(((await first.response.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    }
    const other = await checkAccess(request('GET', '/api/contracts', { key: readKey }), d);
    expect(other.allowed).toBe(true);
    if (other.allowed) expect(other.headers.ratelimit).toMatch(/^"key";r=99;t=\d+$/);
    // Anonymous reads count per address, apart from keys.
    const anonymous = [];
    for (let i = 0; i < 12; i++) anonymous.push(await statusOf(d, request('GET', '/api/contracts')));
    expect(anonymous).toEqual([...Array<number>(10).fill(200), 429, 429]);
    // Failed key checks spend the address's budget too: guessing is limited like anonymous reads.
    const guesses = [];
    for (let i = 0; i < 3; i++)
      guesses.push(await statusOf(d, request('GET', '/api/contracts', { key: `${readKey.slice(0, -1)}x`, from: '198.51.100.9' })));
    expect(guesses).toEqual([401, 401, 401]);
    for (let i = 0; i < 7; i++) await statusOf(d, request('GET', '/api/contracts', { from: '198.51.100.9' }));
    expect(await statusOf(d, request('GET', '/api/contracts', { key: `${readKey.slice(0, -1)}y`, from: '198.51.100.9' }))).toBe(429);
    // This machine's own clients (auth.rate_limit.limit_loopback false) are not counted per address.
    for (const from of ['127.0.0.1', '::1', '::ffff:127.0.0.1'])
      expect(await statusOf(d, request('GET', '/api/contracts', { from }))).toBe(200);
  });
});

describe('pages', () => {
  it('under auth.mode all send a visitor without a valid session to /sign-in and back; other modes and the sign-in page stay open', async () => {
    const all = deps('all');
    const session = signToken(SECRET, 'session', { sub: writeKeyId, scope: 'write', exp: NOW + 3_600_000 });
    const expired = signToken(SECRET, 'session', { sub: writeKeyId, scope: 'write', exp: NOW - 1 });
    expect(await pageRedirect('/trends', '?contract=SIM.MES&tf=1m', undefined, all)).toBe(
      '/sign-in?next=%2Ftrends%3Fcontract%3DSIM.MES%26tf%3D1m',
    );
    expect(await pageRedirect('/', '', expired, all)).toBe('/sign-in?next=%2F');
    expect(await pageRedirect('/trends', '', session, all)).toBeUndefined();
    expect(await pageRedirect('/sign-in', '?next=%2F', undefined, all)).toBeUndefined();
    expect(await pageRedirect('/session/ws-ticket', '', undefined, all)).toBeUndefined();
    expect(await pageRedirect('/trends', '', undefined, deps('write'))).toBeUndefined();
    expect(await pageRedirect('/trends', '', undefined, deps('off'))).toBeUndefined();
  });
});

describe('revoking a key', () => {
  it('by a prefix that is all digits (about 1 key in 280): a prefix, not an id', async () => {
    const { record } = await store.create('digits', 'read');
    const prefix = '012345678901';
    await pool.query('UPDATE api_keys SET prefix = $1 WHERE id = $2::bigint', [prefix, record.id]);
    expect(await store.revoke(prefix)).toMatchObject({ id: record.id, name: 'digits' });
    const { rows } = await pool.query<{ revoked: boolean }>(
      'SELECT revoked_at IS NOT NULL AS revoked FROM api_keys WHERE id = $1::bigint',
      [record.id],
    );
    expect(rows).toEqual([{ revoked: true }]);
  });
});
