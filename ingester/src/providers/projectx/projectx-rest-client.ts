// ProjectX Gateway REST client: session handling, contracts, and history bars paged into one ascending list.
import { NotFoundError, type OhlcBar, type Timeframe, type BackoffOptions } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import type { z } from 'zod';
import { collectBarsBackwards } from './projectx-bar-pager.ts';
import { readGatewayResponse } from './projectx-envelope.ts';
import { ProjectXApiError, throwIfAborted } from './projectx-errors.ts';
import { ProjectXHttp, type FetchFn } from './projectx-http.ts';
import {
  contractByIdResponseSchema,
  contractSearchResponseSchema,
  retrieveBarsResponseSchema,
  type ProjectXBar,
  type ProjectXContract,
} from './projectx-schemas.ts';
import { ProjectXSession } from './projectx-session.ts';
import { parseProjectXTimestamp } from './projectx-timestamp.ts';
import { SlidingWindowRateLimiter, type RateLimit } from './rate-limiter.ts';

export interface ProjectXRestClientOptions {
  readonly apiUrl: string;
  readonly username: string;
  readonly apiKey: string;
  /** Default `live` flag for contracts and history (false = the sim/evaluation data subscription). */
  readonly live: boolean;
  readonly tokenRefreshMs: number;
  readonly fetch?: FetchFn;
  readonly logger?: Logger;
  /** Client-side limit shared by every call of this client. */
  readonly rateLimit?: RateLimit;
  /** A limiter to use instead of one built from rateLimit (shared by clients of one account, or a test's). */
  readonly limiter?: SlidingWindowRateLimiter;
  /** How retries wait (core's sleep by default). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Bars asked per retrieveBars call (the Gateway's maximum is 20,000). */
  readonly barsPageLimit?: number;
  readonly maxRetries?: number;
  readonly maxRateLimitRetries?: number;
  readonly backoff?: BackoffOptions;
  readonly requestTimeoutMs?: number;
}

export interface RetrieveBarsOptions {
  readonly signal?: AbortSignal;
  readonly live?: boolean;
  readonly pageLimit?: number;
  /** Include the still-forming bar of the current period (default false: closed bars only). */
  readonly includePartialBar?: boolean;
}

/** The Gateway answers at most this many bars per retrieveBars call. */
export const MAX_BARS_PER_CALL = 20_000;
/**
 * The Gateway documents 30 retrieveBars calls / 30 s and 200 other calls / 60 s per session; one window
 * at the stricter figure, shared by all calls, stays under both.
 */
export const DEFAULT_RATE_LIMIT: RateLimit = { maxCalls: 30, windowMs: 30_000 };

export class ProjectXRestClient {
  private readonly http: ProjectXHttp;
  private readonly session: ProjectXSession;
  readonly limiter: SlidingWindowRateLimiter;

  constructor(private readonly options: ProjectXRestClientOptions) {
    this.limiter = options.limiter ?? new SlidingWindowRateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
    this.http = new ProjectXHttp({
      baseUrl: options.apiUrl,
      limiter: this.limiter,
      fetch: options.fetch,
      logger: options.logger,
      backoff: options.backoff,
      maxRetries: options.maxRetries,
      maxRateLimitRetries: options.maxRateLimitRetries,
      requestTimeoutMs: options.requestTimeoutMs,
      sleep: options.sleep,
    });
    this.session = new ProjectXSession(this.http, {
      username: options.username,
      apiKey: options.apiKey,
      tokenRefreshMs: options.tokenRefreshMs,
      logger: options.logger,
    });
  }

  /** Logs in with the API key; throws ProjectXAuthError naming the user when the Gateway refuses. */
  login(): Promise<string> {
    return this.session.login();
  }

  /** The current session token (undefined before login), for the market hub's URL. */
  token(): string | undefined {
    return this.session.token();
  }

  /** A token fit to use now: logs in or refreshes first when due (the hub's accessTokenFactory). */
  freshToken(): Promise<string> {
    return this.session.validToken();
  }

  /** A newly issued token, for when the market hub may have refused the current one. */
  renewToken(): Promise<string> {
    return this.session.login();
  }

  async searchContracts(searchText: string, opts: { live?: boolean; signal?: AbortSignal } = {}): Promise<ProjectXContract[]> {
    const body = { searchText, live: opts.live ?? this.options.live };
    const { contracts } = await this.call('/api/Contract/search', body, contractSearchResponseSchema, opts.signal);
    return contracts;
  }

  async contractById(contractId: string, signal?: AbortSignal): Promise<ProjectXContract> {
    const answer = await this.call('/api/Contract/searchById', { contractId }, contractByIdResponseSchema, signal);
    const contract = answer.contract ?? answer.contracts?.find((c) => c.id === contractId);
    if (!contract) throw new NotFoundError(`ProjectX contract ${contractId}`);
    return contract;
  }

  /** Bars of `timeframe` opening in [fromMs, toMs), ascending and de-duplicated, over as many calls as needed. */
  retrieveBars(contractId: string, timeframe: Timeframe, fromMs: number, toMs: number, opts: RetrieveBarsOptions = {}): Promise<OhlcBar[]> {
    const pageLimit = Math.min(opts.pageLimit ?? this.options.barsPageLimit ?? MAX_BARS_PER_CALL, MAX_BARS_PER_CALL);
    return collectBarsBackwards(
      async (startMs, endMs, limit) => {
        const body = {
          contractId,
          live: opts.live ?? this.options.live,
          startTime: new Date(startMs).toISOString(),
          endTime: new Date(endMs).toISOString(),
          unit: timeframe.unit,
          unitNumber: timeframe.value,
          limit,
          includePartialBar: opts.includePartialBar ?? false,
        };
        const { bars } = await this.call('/api/History/retrieveBars', body, retrieveBarsResponseSchema, opts.signal);
        return (bars ?? []).map((bar, i) => toOhlcBar(bar, i));
      },
      fromMs,
      toMs,
      pageLimit,
    );
  }

  /** One authenticated call; a 401 costs one re-login and one retry, a second 401 is thrown. */
  private async call<T>(path: string, body: unknown, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
    throwIfAborted(signal, `ProjectX ${path}`);
    const token = await this.session.validToken();
    throwIfAborted(signal, `ProjectX ${path}`);
    let raw: unknown;
    try {
      raw = await this.http.post(path, body, token, signal);
    } catch (error) {
      if (!(error instanceof ProjectXApiError && error.detail.status === 401)) throw error;
      const renewed = await this.session.renewAfterUnauthorized(token);
      throwIfAborted(signal, `ProjectX ${path}`);
      raw = await this.http.post(path, body, renewed, signal);
    }
    return readGatewayResponse(path, raw, schema);
  }
}

function toOhlcBar(bar: ProjectXBar, index: number): OhlcBar {
  const time = parseProjectXTimestamp(bar.t);
  if (time === undefined) {
    throw new ProjectXApiError(
      'projectx_bad_response',
      `ProjectX /api/History/retrieveBars: bars.${index}.t '${bar.t}' is not ISO-8601 with an offset`,
      { path: '/api/History/retrieveBars' },
    );
  }
  return { time, open: bar.o, high: bar.h, low: bar.l, close: bar.c, volume: bar.v };
}
