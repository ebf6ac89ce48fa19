// Coinbase Advanced Trade public REST: closed candles over any range (paged backwards, rate-limit aware,
// retried) as OhlcBar[], and a product's metadata (its quote_increment is the tick size).
import { backoffDelay, sleep, type BackoffOptions, type OhlcBar, type Timeframe } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import type { z } from 'zod';
import { CoinbaseHttpError, CoinbaseResponseError } from './coinbase-errors.ts';
import { coinbaseGranularity } from './coinbase-granularities.ts';
import { CoinbaseRequestGate, retryAfterMs } from './coinbase-request-gate.ts';
import { candlesResponseSchema, productSchema, restErrorBodySchema, type Candle, type Product } from './coinbase-schemas.ts';

/** The documented most candles one request returns. */
export const CANDLES_PER_REQUEST = 350;
/** Buckets one page spans: the venue refuses a span whose candle count, both ends included, is not "less than
 * 350", so a page spans two buckets fewer than the limit (349 counted). */
export const CANDLES_PAGE_SPAN = CANDLES_PER_REQUEST - 2;
const DEFAULT_MAX_ATTEMPTS = 5;

export interface CoinbaseRestClientOptions {
  readonly restUrl: string;
  readonly logger: Logger;
  /** Injected in tests; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
  /** Tries per request before giving up on 5xx, network errors and 429. */
  readonly maxAttempts?: number;
  readonly backoff?: BackoffOptions;
  /** Spacing between requests (default 100 ms: 10 per second). */
  readonly minSpacingMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class CoinbaseRestClient {
  private readonly fetchFn: typeof fetch;
  private readonly gate: CoinbaseRequestGate;
  private readonly now: () => number;

  constructor(private readonly options: CoinbaseRestClientOptions) {
    this.fetchFn = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.gate = new CoinbaseRequestGate({ minSpacingMs: options.minSpacingMs, now: this.now, sleep: options.sleep });
  }

  /** The product's public metadata; a CoinbaseHttpError (404) when the venue has no such product. */
  async fetchProduct(productId: string, signal?: AbortSignal): Promise<Product> {
    const path = `/api/v3/brokerage/market/products/${encodeURIComponent(productId)}`;
    return this.parse(productSchema, await this.getJson(path, {}, signal), `product ${productId}`);
  }

  /** Candles of `productId` whose open time is in [fromMs, toMs), closed ones only, ascending and de-duplicated.
   * Pages backwards from `toMs`, CANDLES_PAGE_SPAN buckets per request. */
  async fetchCandles(productId: string, timeframe: Timeframe, fromMs: number, toMs: number, signal?: AbortSignal): Promise<OhlcBar[]> {
    const granularity = coinbaseGranularity(timeframe);
    const bars = new Map<number, OhlcBar>();
    const pageMs = CANDLES_PAGE_SPAN * granularity.lengthMs;
    // Whole seconds: the venue takes UNIX seconds; a partial first bucket still has its open time below fromMs.
    let end = Math.ceil(toMs / 1000) * 1000;
    while (end > fromMs) {
      const start = Math.max(Math.floor(fromMs / 1000) * 1000, end - pageMs);
      const candles = await this.candlesPage(productId, granularity.name, start, end, signal);
      const now = this.now();
      for (const c of candles) {
        const time = c.start * 1000;
        if (time < fromMs || time >= toMs || time + granularity.lengthMs > now) continue;
        bars.set(time, { time, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume });
      }
      end = start;
    }
    return [...bars.values()].sort((a, b) => a.time - b.time);
  }

  private async candlesPage(
    productId: string,
    granularity: string,
    startMs: number,
    endMs: number,
    signal?: AbortSignal,
  ): Promise<Candle[]> {
    const path = `/api/v3/brokerage/market/products/${encodeURIComponent(productId)}/candles`;
    const body = await this.getJson(
      path,
      { start: String(startMs / 1000), end: String(endMs / 1000), granularity, limit: String(CANDLES_PER_REQUEST) },
      signal,
    );
    return this.parse(candlesResponseSchema, body, `candles ${productId} ${granularity}`).candles;
  }

  private parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new CoinbaseResponseError(`${what}: unexpected response at [${issue?.path.join('][') ?? ''}]: ${issue?.message ?? 'invalid'}`);
  }

  /** GET with retries: Retry-After (else backoffDelay) on 429, backoffDelay on 5xx and network errors; other 4xx throw. */
  private async getJson(path: string, params: Record<string, string>, signal?: AbortSignal): Promise<unknown> {
    const url = new URL(path, this.options.restUrl);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    const maxAttempts = this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const log = this.options.logger;
    const wait = this.options.sleep ?? sleep;
    for (let attempt = 1; ; attempt++) {
      await this.gate.wait(signal);
      let response: Response;
      try {
        response = await this.fetchFn(url, { signal, headers: { accept: 'application/json' } });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const reason = error instanceof Error ? error.message : String(error);
        if (attempt >= maxAttempts) throw new CoinbaseHttpError(0, undefined, `GET ${path}: ${reason} (gave up after ${attempt} attempts)`);
        log.warn({ path, attempt, err: reason }, 'coinbase: request failed, retrying');
        await wait(backoffDelay(attempt, this.options.backoff), signal);
        continue;
      }
      if (response.ok) {
        try {
          return await response.json();
        } catch {
          if (signal?.aborted) throw signal.reason;
          throw new CoinbaseResponseError(`GET ${path}: body is not JSON`);
        }
      }
      const { error, message } = errorBody(await response.text().catch(() => ''));
      const status = response.status;
      const described = `GET ${path} → ${status}${error === undefined ? '' : ` (${error})`}: ${message}`;
      const retryable = status === 429 || status >= 500;
      if (!retryable) throw new CoinbaseHttpError(status, error, described);
      if (attempt >= maxAttempts) throw new CoinbaseHttpError(status, error, `${described} (gave up after ${attempt} attempts)`);
      if (status === 429) {
        const waitMs = retryAfterMs(response.headers.get('retry-after')) ?? backoffDelay(attempt, this.options.backoff);
        log.warn({ path, waitMs, message }, 'coinbase: rate limited (HTTP 429), holding requests');
        this.gate.pauseFor(waitMs);
      } else {
        log.warn({ path, attempt, status }, 'coinbase: server error, retrying');
        await wait(backoffDelay(attempt, this.options.backoff), signal);
      }
    }
  }
}

function errorBody(text: string): { error: string | undefined; message: string } {
  try {
    const parsed = restErrorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) return { error: parsed.data.error, message: parsed.data.error_details ?? parsed.data.message ?? parsed.data.error };
  } catch {
    // Not JSON (a proxy's HTML page, say): report the start of it.
  }
  return { error: undefined, message: text.slice(0, 200) || 'no body' };
}
