// npm run bench:auth — what the /api/* access check costs per request (web/lib/api/access-gate.ts):
// one scrypt verification of a key (the cost without the cache, i.e. the baseline), the cached check
// with its rate limit, and 1,000 concurrent requests with one new key (a burst: one scrypt, shared).
// In memory: the key row comes from a stand-in for api_keys (one lookup per key per TTL in production).
import { ApiKeyStore, ApiKeyVerifier, hashApiKeySecret, newApiKey, type SqlRunner } from '../core/src/node/auth/index.ts';
import { checkAccess } from '../web/lib/api/access-gate.ts';
import { RequestRateLimits } from '../web/lib/auth/request-rate-limits.ts';
import { figure, percentile, printLoad, printMachine } from './lib/report.ts';

const SCRYPT_SAMPLES = 20;
const CACHED_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200_000);

const { key, prefix, secret } = newApiKey();
const row = {
  id: '1',
  name: 'bench',
  scope: 'write',
  prefix,
  hash: await hashApiKeySecret(secret),
  created_at: new Date(),
  last_used_at: null,
  revoked_at: null,
};
let lookups = 0;
const sql: SqlRunner = {
  query: <R extends object>(text: string) => {
    if (text.includes('WHERE prefix')) lookups++;
    return Promise.resolve((text.startsWith('SELECT') ? [row] : []) as unknown as R[]);
  },
};
const store = new ApiKeyStore(sql);
const deps = (verifier: ApiKeyVerifier) => ({
  mode: () => Promise.resolve('write' as const),
  verifier,
  secret: 'bench-secret-'.repeat(3),
  // A quota no run reaches: the limiter's bookkeeping is measured, never a refusal.
  limits: new RequestRateLimits({ per_key: 1e12, per_ip: 1e12, window_seconds: 3_600, limit_loopback: true }),
  now: Date.now,
});
const request = {
  method: 'POST',
  pathname: '/api/trend-labels',
  authorization: `Bearer ${key}`,
  sessionCookie: undefined,
  clientAddress: '203.0.113.1',
};

printMachine('Access check per /api/* request: API key verification (scrypt, cached 10 s) + rate limit, in memory');
printLoad('before');

const scryptMs: number[] = [];
for (let i = 0; i < SCRYPT_SAMPLES; i++) {
  const t = performance.now();
  await new ApiKeyVerifier(store, { ttlMs: 0 }).verify(key);
  scryptMs.push(performance.now() - t);
}
scryptMs.sort((a, b) => a - b);
figure(
  'uncached key check (scrypt N=1024): p50',
  percentile(scryptMs, 50),
  'ms',
  `baseline: at most ${Math.floor(1000 / percentile(scryptMs, 50))} checks/s per core`,
);

const burst = deps(new ApiKeyVerifier(store));
lookups = 0;
const t0 = performance.now();
const answers = await Promise.all(Array.from({ length: 1_000 }, () => checkAccess(request, burst)));
const burstMs = performance.now() - t0;
figure(
  '1,000 concurrent requests, one new key',
  burstMs,
  'ms',
  `${lookups} lookup(s) + scrypt, ${answers.filter((a) => a.allowed).length} allowed`,
);

const steady = deps(new ApiKeyVerifier(store));
await checkAccess(request, steady);
const cpu0 = process.cpuUsage();
const t1 = performance.now();
for (let i = 0; i < CACHED_REQUESTS; i++) await checkAccess(request, steady);
const seconds = (performance.now() - t1) / 1000;
const cpu = process.cpuUsage(cpu0);
figure(
  'cached key check + rate limit',
  CACHED_REQUESTS / seconds,
  'req/s',
  `${CACHED_REQUESTS.toLocaleString('en-US')} sequential requests, one process`,
);
figure(
  '  per request',
  (seconds / CACHED_REQUESTS) * 1e6,
  'µs',
  `CPU ${(((cpu.user + cpu.system) / CACHED_REQUESTS) * 1).toFixed(2)} µs user+system`,
);
printLoad('after');
