// Binance spot REST: closed klines over any range (paged, rate-limit aware, retried) as OhlcBar[].
import { backoffDelay, sleep, type BackoffOptions, type OhlcBar, type Timeframe } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import { BinanceHttpError, BinanceResponseError } from './binance-errors.ts';
import { binanceInterval } from './binance-intervals.ts';
import { BinanceRequestGate, retryAfterMs } from './binance-request-gate.ts';
import { binanceErrorBodySchema, klinesResponseSchema, type KlineRow } from './binance-schemas.ts';

/** Most klines one GET /api/v3/klines returns (its documented max; the default is 500). */
export const KLINES_PAGE_LIMIT = 1000;
const DEFAULT_MAX_ATTEMPTS = 5;

export interface BinanceRestClientOptions {
  readonly restUrl: string;
  readonly logger: Logger;
  /** Injected in tests; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
  /** Tries per request before giving up on 5xx, network errors and 429/418. */
  readonly maxAttempts?: number;
  readonly weightSlowdownAt?: number;
  readonly backoff?: BackoffOptions;
  readonly now?: () => number;
  /** How retries and the request gate wait (core's sleep by default). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface FetchKlinesOptions {
  readonly signal?: AbortSignal;
  /** Also return the kline still forming (close time not yet passed). Default false. */
  readonly includeOpen?: boolean;
}

export class BinanceRestClient {
  private readonly fetchFn: typeof fetch;
  private readonly gate: BinanceRequestGate;
  private readonly now: () => number;

  constructor(private readonly options: BinanceRestClientOptions) {
    this.fetchFn = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.gate = new BinanceRequestGate({
      logger: options.logger,
      weightSlowdownAt: options.weightSlowdownAt,
      now: this.now,
      sleep: options.sleep,
    });
  }

  /** Klines of `symbol` whose open time is in [fromMs, toMs), ascending and de-duplicated; closed ones only
   * unless `includeOpen`. Pages forward 1000 at a time until the range is covered. */
  async fetchKlines(symbol: string, timeframe: Timeframe, fromMs: number, toMs: number, opts: FetchKlinesOptions = {}): Promise<OhlcBar[]> {
    const interval = binanceInterval(timeframe);
    const bars = new Map<number, OhlcBar>();
    // Binance's endTime is inclusive (openTime <= endTime); ours is exclusive.
    const endTime = toMs - 1;
    let startTime = fromMs;
    while (startTime <= endTime) {
      const rows = await this.klinesPage(symbol.toUpperCase(), interval.name, startTime, endTime, opts.signal);
      const now = this.now();
      for (const row of rows) {
        const [time, open, high, low, close, volume, closeTime] = row;
        if (time < fromMs || time >= toMs) continue;
        if (!opts.includeOpen && closeTime >= now) continue;
        bars.set(time, { time, open, high, low, close, volume });
      }
      const last = rows.at(-1);
      if (!last || rows.length < KLINES_PAGE_LIMIT) break;
      // Months have no fixed length: the next one opens right after this one closes.
      const next = interval.lengthMs === undefined ? last[6] + 1 : last[0] + interval.lengthMs;
      if (next <= startTime) throw new BinanceResponseError(`klines ${symbol} ${interval.name}: paging did not advance past ${startTime}`);
      startTime = next;
    }
    return [...bars.values()].sort((a, b) => a.time - b.time);
  }

  private async klinesPage(
    symbol: string,
    interval: string,
    startTime: number,
    endTime: number,
    signal: AbortSignal | undefined,
  ): Promise<KlineRow[]> {
    const body = await this.getJson(
      '/api/v3/klines',
      {
        symbol,
        interval,
        startTime: String(startTime),
        endTime: String(endTime),
        limit: String(KLINES_PAGE_LIMIT),
      },
      signal,
    );
    const parsed = klinesResponseSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new BinanceResponseError(
        `klines ${symbol} ${interval}: unexpected response at ` + `[${issue?.path.join('][') ?? ''}]: ${issue?.message ?? 'invalid'}`,
      );
    }
    return parsed.data;
  }

  /** GET with retries: Retry-After on 429/418, backoffDelay on 5xx and network errors; 4xx otherwise throws. */
  private async getJson(path: string, params: Record<string, string>, signal?: AbortSignal): Promise<unknown> {
    const url = new URL(path, this.options.restUrl);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    const maxAttempts = this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const log = this.options.logger;
    for (let attempt = 1; ; attempt++) {
      await this.gate.wait(signal);
      let response: Response;
      try {
        response = await this.fetchFn(url, { signal, headers: { accept: 'application/json' } });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const reason = error instanceof Error ? error.message : String(error);
        if (attempt >= maxAttempts) throw new BinanceHttpError(0, undefined, `GET ${path}: ${reason} (gave up after ${attempt} attempts)`);
        log.warn({ path, attempt, err: reason }, 'binance: request failed, retrying');
        await (this.options.sleep ?? sleep)(backoffDelay(attempt, this.options.backoff), signal);
        continue;
      }
      this.gate.noteUsedWeight(response.headers.get('x-mbx-used-weight-1m'));
      if (response.ok) {
        try {
          return await response.json();
        } catch {
          if (signal?.aborted) throw signal.reason;
          throw new BinanceResponseError(`GET ${path}: body is not JSON`);
        }
      }
      const { code, msg } = errorBody(await response.text().catch(() => ''));
      const status = response.status;
      const described = `GET ${path} → ${status}${code === undefined ? '' : ` (${code})`}: ${msg}`;
      const retryable = status === 429 || status === 418 || status >= 500;
      if (!retryable) throw new BinanceHttpError(status, code, described);
      if (attempt >= maxAttempts) throw new BinanceHttpError(status, code, `${described} (gave up after ${attempt} attempts)`);
      if (status === 429 || status === 418) {
        const waitMs = retryAfterMs(response.headers.get('retry-after')) ?? backoffDelay(attempt, this.options.backoff);
        if (status === 418)
          log.error({ path, waitMs, msg }, 'binance: THIS IP IS BANNED (HTTP 418) for ignoring 429s; waiting out the ban');
        else log.warn({ path, waitMs, msg }, 'binance: rate limited (HTTP 429), waiting Retry-After');
        this.gate.pauseFor(waitMs);
      } else {
        log.warn({ path, attempt, status }, 'binance: server error, retrying');
        await (this.options.sleep ?? sleep)(backoffDelay(attempt, this.options.backoff), signal);
      }
    }
  }
}

function errorBody(text: string): { code: number | undefined; msg: string } {
  try {
    const parsed = binanceErrorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON (a proxy's HTML page, say): report the start of it.
  }
  return { code: undefined, msg: text.slice(0, 200) || 'no body' };
}
