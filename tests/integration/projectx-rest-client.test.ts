// ProjectXRestClient against a local fake Gateway: token refresh and re-login, 429/5xx retries, envelope
// errors, backwards paging of history, the client-side rate limit and abort.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sleep } from '../../core/src/index.ts';
import { ProjectXApiError } from '../../ingester/src/providers/projectx/projectx-errors.ts';
import { ProjectXRestClient, type ProjectXRestClientOptions } from '../../ingester/src/providers/projectx/projectx-rest-client.ts';
import { SlidingWindowRateLimiter } from '../../ingester/src/providers/projectx/rate-limiter.ts';
import { FakeProjectXServer, type FakeBar } from '../fakes/projectx-server.ts';
import { quietLogger } from '../support/quiet-logger.ts';

const ES = 'CON.F.US.EP.M25';
const MINUTE = 60_000;
const START = Date.UTC(2025, 0, 6, 0, 0);
const SEARCH = '/api/Contract/search';
const BARS = '/api/History/retrieveBars';
const ONE_MINUTE = { unit: 2, value: 1 } as const;

const dataset: FakeBar[] = Array.from({ length: 250 }, (_, i) => ({
  time: START + i * MINUTE,
  open: 100 + i,
  high: 102 + i,
  low: 99 + i,
  close: 101 + i,
  volume: 10 + i,
}));
const contract = {
  id: ES,
  name: 'EPM25',
  description: 'E-mini S&P 500: June 2025',
  tickSize: 0.25,
  tickValue: 12.5,
  activeContract: true,
  symbolId: 'F.US.EP',
};

let fake: FakeProjectXServer;

function client(overrides: Partial<ProjectXRestClientOptions> = {}): ProjectXRestClient {
  return new ProjectXRestClient({
    apiUrl: fake.url,
    username: 'alice',
    apiKey: 'secret-key',
    live: false,
    tokenRefreshMs: 3_600_000,
    logger: quietLogger('projectx-rest-test'),
    backoff: { initialMs: 10, maxMs: 50 },
    ...overrides,
  });
}

const paths = (since: number) => fake.rest.calls.slice(since).map((c) => `${c.path} ${c.status}`);

/** A real sleep that records the waits the client asks for (asserted instead of measuring wall time);
 * `onWait` runs as each wait begins. */
function recordingSleep(onWait: (ms: number) => void = () => undefined) {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms: number, signal?: AbortSignal) => {
      waits.push(ms);
      onWait(ms);
      return sleep(ms, signal);
    },
  };
}

beforeAll(async () => {
  fake = await FakeProjectXServer.start({ username: 'alice', apiKey: 'secret-key', bars: dataset, contracts: [contract] });
});
afterAll(async () => {
  await fake?.close();
});
let mark = 0;
beforeEach(() => {
  fake.rest.clearFailures();
  mark = fake.rest.calls.length;
});

describe('ProjectXRestClient session', () => {
  it('refreshes the token through Auth/validate once tokenRefreshMs has passed, before the next call', async () => {
    const rest = client({ tokenRefreshMs: 150 });
    expect(await rest.searchContracts('EP')).toEqual([contract]);
    const first = rest.token();
    await new Promise((r) => setTimeout(r, 200));
    await rest.searchContracts('EP');
    expect(paths(mark)).toEqual([`/api/Auth/loginKey 200`, `${SEARCH} 200`, '/api/Auth/validate 200', `${SEARCH} 200`]);
    const [, firstSearch, validate, secondSearch] = fake.rest.calls.slice(mark);
    expect(firstSearch?.token).toBe(first);
    expect(validate?.token).toBe(first);
    expect(secondSearch?.token).toBe(rest.token());
    expect(rest.token()).not.toBe(first);
  });

  it('logs in again once on HTTP 401 and retries the call', async () => {
    const rest = client();
    await rest.login();
    fake.rest.revokeAllTokens();
    expect(await rest.contractById(ES)).toEqual(contract);
    expect(paths(mark)).toEqual([
      '/api/Auth/loginKey 200',
      '/api/Contract/searchById 401',
      '/api/Auth/loginKey 200',
      '/api/Contract/searchById 200',
    ]);
  });

  it('gives up on a second 401 instead of looping', async () => {
    const rest = client();
    await rest.login();
    fake.rest.failNext(SEARCH, 401, { times: 2 });
    await expect(rest.searchContracts('EP')).rejects.toMatchObject({ code: 'projectx_http', detail: { status: 401 } });
    expect(paths(mark)).toEqual(['/api/Auth/loginKey 200', `${SEARCH} 401`, '/api/Auth/loginKey 200', `${SEARCH} 401`]);
  });

  it('turns an envelope failure (HTTP 200, success: false) into an error with its code and message', async () => {
    const rest = client();
    fake.rest.envelopeErrorNext(SEARCH, 2, 'Search text is too short');
    const error = await rest.searchContracts('E').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProjectXApiError);
    expect(error).toMatchObject({ code: 'projectx_error', detail: { path: SEARCH, errorCode: 2 } });
    expect((error as Error).message).toBe(`ProjectX ${SEARCH} failed: Search text is too short (errorCode 2)`);
  });
});

describe('ProjectXRestClient retries', () => {
  it('honours Retry-After on HTTP 429, then succeeds', async () => {
    const recorder = recordingSleep();
    const rest = client({ sleep: recorder.sleep });
    await rest.login();
    fake.rest.failNext(SEARCH, 429, { retryAfter: '1' });
    expect(await rest.searchContracts('EP')).toEqual([contract]);
    // The server's 1 s, not the 10 ms backoff.
    expect(recorder.waits).toEqual([1_000]);
    expect(paths(mark)).toEqual(['/api/Auth/loginKey 200', `${SEARCH} 429`, `${SEARCH} 200`]);
  });

  it('backs off on 429 without Retry-After and on 5xx, and stops after the configured number of 429s', async () => {
    const rest = client({ maxRateLimitRetries: 3 });
    await rest.login();
    fake.rest.failNext(SEARCH, 429, { times: 2 });
    fake.rest.failNext(SEARCH, 503, { times: 2 });
    expect(await rest.searchContracts('EP')).toEqual([contract]);
    expect(
      fake.rest
        .callsTo(SEARCH)
        .slice(-5)
        .map((c) => c.status),
    ).toEqual([429, 429, 503, 503, 200]);
    fake.rest.failNext(SEARCH, 429, { times: 10 });
    await expect(rest.searchContracts('EP')).rejects.toThrow(/still rate limited \(HTTP 429\) after 4 attempts/);
  });

  it('stops waiting when the AbortSignal fires', async () => {
    const controller = new AbortController();
    // Aborted as the 60 s wait (Retry-After, capped) begins: only an abort that works ends it before the test's timeout.
    const recorder = recordingSleep(() => controller.abort());
    const rest = client({ sleep: recorder.sleep });
    await rest.login();
    fake.rest.failNext(BARS, 429, { retryAfter: '3600' });
    await expect(rest.retrieveBars(ES, ONE_MINUTE, START, START + MINUTE, { signal: controller.signal })).rejects.toMatchObject({
      code: 'aborted',
    });
    expect(recorder.waits).toEqual([60_000]);
    expect(
      fake.rest
        .callsTo(BARS)
        .slice(-1)
        .map((c) => c.status),
    ).toEqual([429]);
  });
});

describe('ProjectXRestClient history', () => {
  it('pages backwards by end time until the range is covered, returning every bar once, ascending', async () => {
    const rest = client({ barsPageLimit: 40 });
    const from = START + 5 * MINUTE;
    const to = START + 205 * MINUTE;
    const bars = await rest.retrieveBars(ES, ONE_MINUTE, from, to);
    expect(bars).toEqual(dataset.filter((b) => b.time >= from && b.time < to));
    const calls = fake.rest.calls.slice(mark).filter((c) => c.path === BARS);
    expect(calls.length).toBeGreaterThanOrEqual(5);
    expect(calls[0]?.body.endTime).toBe(new Date(to).toISOString());
    // Each page ends where the previous one's oldest bar was (the fake counts both ends inclusively).
    for (let i = 1; i < calls.length; i++) {
      const previousEnd = Date.parse(String(calls[i - 1]?.body.endTime));
      expect(Date.parse(String(calls[i]?.body.endTime))).toBe(previousEnd - 39 * MINUTE);
      expect(calls[i]?.body.startTime).toBe(new Date(from).toISOString());
    }
  });

  it('returns an empty list for a range without bars, in one call', async () => {
    const rest = client({ barsPageLimit: 40 });
    expect(await rest.retrieveBars(ES, ONE_MINUTE, START - 100 * MINUTE, START)).toEqual([]);
    expect(fake.rest.calls.slice(mark).filter((c) => c.path === BARS)).toHaveLength(1);
  });
});

describe('ProjectXRestClient rate limit', () => {
  it('spaces calls so that no window holds more than maxCalls, across concurrent callers', async () => {
    // Asserted on the limiter's own clock: when each call was let through, not when the server saw it
    // (network and a loaded machine move arrivals, not grants).
    const grants: number[] = [];
    const limiter = new SlidingWindowRateLimiter(
      { maxCalls: 3, windowMs: 300 },
      () => Date.now(),
      (at) => grants.push(at),
    );
    const rest = client({ limiter });
    const results = await Promise.all(Array.from({ length: 7 }, () => rest.searchContracts('EP')));
    expect(results).toEqual(Array.from({ length: 7 }, () => [contract]));
    expect(fake.rest.calls.slice(mark)).toHaveLength(8); // the login counts too
    expect(grants).toHaveLength(8);
    // Any 4 consecutive grants span at least a window: no window holds more than 3.
    for (let i = 3; i < grants.length; i++) expect((grants[i] as number) - (grants[i - 3] as number)).toBeGreaterThanOrEqual(300);
    // 8 calls at 3 per window: the limiter made the last ones wait two full windows.
    expect((grants[7] as number) - (grants[0] as number)).toBeGreaterThanOrEqual(600);
  });
});
