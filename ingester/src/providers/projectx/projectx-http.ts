// One Gateway HTTP call: POST JSON under the shared rate limit, retrying 429s, 5xx and network errors.
import { backoffDelay, sleep, type BackoffOptions } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import { ProjectXAbortError, ProjectXApiError, throwIfAborted } from './projectx-errors.ts';
import type { SlidingWindowRateLimiter } from './rate-limiter.ts';

export type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

export interface ProjectXHttpOptions {
  readonly baseUrl: string;
  readonly limiter: SlidingWindowRateLimiter;
  readonly fetch?: FetchFn;
  /** Retries of network errors, timeouts and 5xx before giving up. */
  readonly maxRetries?: number;
  /** Retries of HTTP 429: the server asked us to wait, so we may wait longer than for outages. */
  readonly maxRateLimitRetries?: number;
  readonly backoff?: BackoffOptions;
  /** Upper bound on a server's Retry-After, so a bogus header cannot park the client for hours. */
  readonly maxRetryAfterMs?: number;
  readonly requestTimeoutMs?: number;
  readonly logger?: Logger;
  /** How retries wait (core's sleep); tests inject one to see the waits asked for. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const DEFAULT_MAX_RETRIES = 4;
const DEFAULT_MAX_RATE_LIMIT_RETRIES = 8;
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const ERROR_SNIPPET_CHARS = 200;

export class ProjectXHttp {
  private readonly fetchFn: FetchFn;

  constructor(private readonly options: ProjectXHttpOptions) {
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** The parsed JSON body of a 2xx answer; throws ProjectXApiError otherwise (401 included, status in detail). */
  async post(path: string, body: unknown, token: string | undefined, signal?: AbortSignal): Promise<unknown> {
    const url = new URL(path, this.options.baseUrl).toString();
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      await this.options.limiter.acquire(signal);
      let response: Response;
      try {
        response = await this.fetchFn(url, { method: 'POST', headers, body: JSON.stringify(body), signal: this.requestSignal(signal) });
      } catch (error) {
        throwIfAborted(signal, `ProjectX ${path}`);
        failures++;
        if (failures > (this.options.maxRetries ?? DEFAULT_MAX_RETRIES)) {
          throw new ProjectXApiError(
            'projectx_unreachable',
            `ProjectX ${path} unreachable after ${failures} attempts: ${errorText(error)}`,
            { path },
            { cause: error },
          );
        }
        await this.pause(path, backoffDelay(failures, this.options.backoff), `network error: ${errorText(error)}`, signal);
        continue;
      }
      if (response.status === 429) {
        rateLimited++;
        await response.body?.cancel();
        if (rateLimited > (this.options.maxRateLimitRetries ?? DEFAULT_MAX_RATE_LIMIT_RETRIES)) {
          throw new ProjectXApiError('projectx_http', `ProjectX ${path}: still rate limited (HTTP 429) after ${rateLimited} attempts`, {
            path,
            status: 429,
          });
        }
        const wait = this.retryAfterMs(response.headers.get('retry-after')) ?? backoffDelay(rateLimited, this.options.backoff);
        await this.pause(path, wait, 'HTTP 429', signal);
        continue;
      }
      if (response.status >= 500) {
        failures++;
        const text = await response.text().catch(() => '');
        if (failures > (this.options.maxRetries ?? DEFAULT_MAX_RETRIES)) {
          throw new ProjectXApiError(
            'projectx_http',
            `ProjectX ${path}: HTTP ${response.status} after ${failures} attempts ${snippet(text)}`,
            { path, status: response.status },
          );
        }
        await this.pause(path, backoffDelay(failures, this.options.backoff), `HTTP ${response.status}`, signal);
        continue;
      }
      const text = await response.text();
      if (!response.ok) {
        throw new ProjectXApiError('projectx_http', `ProjectX ${path}: HTTP ${response.status} ${snippet(text)}`, {
          path,
          status: response.status,
        });
      }
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new ProjectXApiError(
          'projectx_bad_response',
          `ProjectX ${path}: response is not JSON ${snippet(text)}`,
          { path, status: response.status },
          { cause: error },
        );
      }
    }
  }

  private requestSignal(signal: AbortSignal | undefined): AbortSignal {
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
    return signal ? AbortSignal.any([signal, timeout]) : timeout;
  }

  private async pause(path: string, ms: number, why: string, signal: AbortSignal | undefined): Promise<void> {
    this.options.logger?.warn({ path, retryInMs: ms }, `ProjectX ${path}: ${why}, retrying`);
    await (this.options.sleep ?? sleep)(ms, signal);
    if (signal?.aborted) throw new ProjectXAbortError(`ProjectX ${path}`);
  }

  /** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
  private retryAfterMs(header: string | null): number | undefined {
    if (header === null || header.trim() === '') return undefined;
    const seconds = Number(header);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
    if (!Number.isFinite(ms)) return undefined;
    return Math.min(Math.max(0, ms), this.options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS);
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

function snippet(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  return `: ${trimmed.length > ERROR_SNIPPET_CHARS ? `${trimmed.slice(0, ERROR_SNIPPET_CHARS)}…` : trimmed}`;
}
