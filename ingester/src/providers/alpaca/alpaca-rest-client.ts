// Alpaca Market Data v2 REST: closed stock bars over any range (paged by next_page_token, rate-limit
// aware, retried) as OhlcBar[].
import { backoffDelay, sleep, type BackoffOptions, type OhlcBar, type Timeframe } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import { AlpacaHttpError, AlpacaResponseError } from './alpaca-errors.ts';
import { AlpacaRequestGate, resetWaitMs, retryAfterMs } from './alpaca-request-gate.ts';
import { barsResponseSchema, restErrorBodySchema, type RestBar } from './alpaca-schemas.ts';
import { alpacaTimeframe, barEnd, barLabel } from './alpaca-timeframes.ts';
import { formatAlpacaTime } from './alpaca-timestamp.ts';

/** Most bars one GET /v2/stocks/{symbol}/bars returns (its documented max; the default is 1000). */
export const BARS_PAGE_LIMIT = 10_000;
const DEFAULT_MAX_ATTEMPTS = 5;
/** A page token that never ends the loop would be an endless bill of requests. */
const MAX_PAGES = 10_000;

export type AlpacaFeed = 'iex' | 'sip' | 'delayed_sip' | 'boats' | 'overnight' | 'otc';
export type AlpacaAdjustment = 'raw' | 'split' | 'dividend' | 'all';

export interface AlpacaRestClientOptions {
  /** providers.alpaca.data_url, e.g. https://data.alpaca.markets */
  readonly dataUrl: string;
  readonly keyId: string;
  readonly secretKey: string;
  readonly feed: AlpacaFeed;
  readonly adjustment: AlpacaAdjustment;
  readonly logger: Logger;
  /** Injected in tests; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
  /** Tries per request before giving up on 5xx, network errors and 429. */
  readonly maxAttempts?: number;
  readonly backoff?: BackoffOptions;
  readonly now?: () => number;
  /** How retries and the request gate wait (core's sleep by default). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface FetchBarsOptions {
  readonly signal?: AbortSignal;
  /** Also return the bar still forming. Default false. */
  readonly includeOpen?: boolean;
}

export class AlpacaRestClient {
  private readonly fetchFn: typeof fetch;
  private readonly gate: AlpacaRequestGate;
  private readonly now: () => number;

  constructor(private readonly options: AlpacaRestClientOptions) {
    this.fetchFn = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.gate = new AlpacaRequestGate({ logger: options.logger, now: this.now, sleep: options.sleep });
  }

  /** Bars of `symbol` whose open time (our label: trade date for daily and longer) is in [fromMs, toMs),
   * ascending and de-duplicated; closed ones only unless `includeOpen`. */
  async fetchBars(symbol: string, tf: Timeframe, fromMs: number, toMs: number, opts: FetchBarsOptions = {}): Promise<OhlcBar[]> {
    const timeframe = alpacaTimeframe(tf);
    const bars = new Map<number, OhlcBar>();
    const path = `/v2/stocks/${encodeURIComponent(symbol.toUpperCase())}/bars`;
    const params: Record<string, string> = {
      timeframe,
      start: formatAlpacaTime(fromMs),
      // Alpaca's end is inclusive; ours is exclusive.
      end: formatAlpacaTime(toMs - 1),
      limit: String(BARS_PAGE_LIMIT),
      adjustment: this.options.adjustment,
      feed: this.options.feed,
      sort: 'asc',
    };
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = await this.getJson(path, pageToken ? { ...params, page_token: pageToken } : params, opts.signal);
      const parsed = barsResponseSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AlpacaResponseError(
          `bars ${symbol} ${timeframe}: unexpected response at [${issue?.path.join('][') ?? ''}]: ${issue?.message ?? 'invalid'}`,
        );
      }
      const now = this.now();
      for (const bar of parsed.data.bars ?? []) this.keep(bars, bar, tf, fromMs, toMs, opts.includeOpen ? Infinity : now);
      const next = parsed.data.next_page_token ?? undefined;
      if (next === undefined) return [...bars.values()].sort((a, b) => a.time - b.time);
      if (next === pageToken) throw new AlpacaResponseError(`bars ${symbol} ${timeframe}: next_page_token did not change`);
      pageToken = next;
    }
    throw new AlpacaResponseError(`bars ${symbol} ${timeframe}: more than ${MAX_PAGES} pages`);
  }

  private keep(into: Map<number, OhlcBar>, bar: RestBar, tf: Timeframe, fromMs: number, toMs: number, closedBefore: number): void {
    const time = barLabel(bar.t, tf);
    if (time < fromMs || time >= toMs || barEnd(bar.t, tf) > closedBefore) return;
    into.set(time, { time, open: bar.o, high: bar.h, low: bar.l, close: bar.c, volume: bar.v });
  }

  /** GET with retries: 429 waits Retry-After or X-RateLimit-Reset, 5xx and network errors back off; other 4xx throw. */
  private async getJson(path: string, params: Record<string, string>, signal?: AbortSignal): Promise<unknown> {
    const url = new URL(path, this.options.dataUrl);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    const maxAttempts = this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const log = this.options.logger;
    // The credentials travel in headers only: never in the URL, never in a log line.
    const headers = { accept: 'application/json', 'APCA-API-KEY-ID': this.options.keyId, 'APCA-API-SECRET-KEY': this.options.secretKey };
    for (let attempt = 1; ; attempt++) {
      await this.gate.wait(signal);
      let response: Response;
      try {
        response = await this.fetchFn(url, { signal, headers });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const reason = error instanceof Error ? error.message : String(error);
        if (attempt >= maxAttempts) throw new AlpacaHttpError(0, `GET ${path}: ${reason} (gave up after ${attempt} attempts)`);
        log.warn({ path, attempt, err: reason }, 'alpaca: request failed, retrying');
        await (this.options.sleep ?? sleep)(backoffDelay(attempt, this.options.backoff), signal);
        continue;
      }
      this.gate.noteRateLimit(response.headers.get('x-ratelimit-remaining'), response.headers.get('x-ratelimit-reset'));
      if (response.ok) {
        try {
          return await response.json();
        } catch {
          if (signal?.aborted) throw signal.reason;
          throw new AlpacaResponseError(`GET ${path}: body is not JSON`);
        }
      }
      const status = response.status;
      const described = `GET ${path} → ${status}: ${errorMessage(await response.text().catch(() => ''))}`;
      if (status !== 429 && status < 500) throw new AlpacaHttpError(status, authHint(status, described));
      if (attempt >= maxAttempts) throw new AlpacaHttpError(status, `${described} (gave up after ${attempt} attempts)`);
      if (status === 429) {
        const waitMs =
          retryAfterMs(response.headers.get('retry-after')) ??
          resetWaitMs(response.headers.get('x-ratelimit-reset'), this.now()) ??
          backoffDelay(attempt, this.options.backoff);
        log.warn({ path, waitMs }, 'alpaca: rate limited (HTTP 429), waiting for the rate window');
        this.gate.pauseFor(waitMs);
      } else {
        log.warn({ path, attempt, status }, 'alpaca: server error, retrying');
        await (this.options.sleep ?? sleep)(backoffDelay(attempt, this.options.backoff), signal);
      }
    }
  }
}

function authHint(status: number, described: string): string {
  return status === 401 || status === 403
    ? `${described} (check ALPACA_KEY_ID, ALPACA_SECRET_KEY and the feed your plan allows)`
    : described;
}

function errorMessage(text: string): string {
  try {
    const parsed = restErrorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data.message;
  } catch {
    // Not JSON (a proxy's HTML page, say): report the start of it.
  }
  return text.slice(0, 200) || 'no body';
}
