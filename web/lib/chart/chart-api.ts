// The browser's reads of /api/*: parsed with the same schemas the handlers answer with, and
// failures in words a trader can act on.
import {
  apiErrorSchema,
  indicatorsResponseSchema,
  signalsResponseSchema,
  trendStartsResponseSchema,
  type IndicatorsResponse,
  type SignalsResponse,
  type TrendStartsResponse,
} from '../api/response-schemas.ts';
import { type EarlyAnswer, takeEarlyAnswer } from './early-answer.ts';
import { ohlcCandles, type OhlcCandles } from './ohlc-candles.ts';

export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
}

export interface RangeParams {
  readonly from?: number;
  readonly to?: number;
  readonly limit?: number;
}

interface GetOptions {
  readonly signal?: AbortSignal;
  /** Called once the whole body has arrived, before it is parsed. */
  readonly onArrived?: () => void;
}

/** What getJson reads an answer's body with: a zod schema, or a reader of the same shape
 * (ohlc-candles.ts). */
export interface BodyReader<T> {
  safeParse(body: unknown): { readonly success: true; readonly data: T } | { readonly success: false };
}

export async function getJson<T>(
  path: string,
  params: Record<string, string>,
  schema: BodyReader<T>,
  options: GetOptions = {},
): Promise<T> {
  const url = apiPath(path, params);
  let response: Pick<EarlyAnswer, 'ok' | 'status'>;
  let text: string | undefined;
  let body: unknown;
  try {
    // The page may have started this very request before the scripts loaded (early-answer.ts).
    const early = takeEarlyAnswer(url);
    if (early) {
      ({ body, ...response } = await early);
      options.signal?.throwIfAborted();
    } else {
      // The default cache mode: /api/* answers are `Cache-Control: no-store`, so nothing is stored either
      // way, and after a client-side navigation to /trends this takes the page's preload of the chart's
      // first bars (early-bars.tsx), which a `no-store` request would not (it would ask twice).
      const fetched = await fetch(url, options.signal ? { signal: options.signal } : {});
      text = await fetched.text();
      response = fetched;
    }
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw new ApiRequestError(`Cannot reach the server (${path}).`);
  }
  options.onArrived?.();
  if (text !== undefined) body = parseJson(text);
  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(body);
    const reason = parsed.success ? parsed.data.error.message : `HTTP ${response.status}`;
    throw new ApiRequestError(`${path} failed: ${reason}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiRequestError(`${path} answered in an unexpected shape.`);
  return parsed.data;
}

/** The body's JSON, or undefined when it is not JSON (an HTML error page from a proxy). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The request path getJson asks for: the page's early fetch must spell it the same way. */
function apiPath(path: string, params: Record<string, string>): string {
  return `${path}?${new URLSearchParams(params).toString()}`;
}

export function query(
  contractId: string,
  timeframe: string,
  range: RangeParams,
  extra: Record<string, string> = {},
): Record<string, string> {
  const q: Record<string, string> = { contract_id: contractId, timeframe, ...extra };
  // Epoch milliseconds: exact, and what the chart's epoch seconds convert to without formatting.
  if (range.from !== undefined) q.from = String(range.from);
  if (range.to !== undefined) q.to = String(range.to);
  if (range.limit !== undefined) q.limit = String(range.limit);
  return q;
}

/** The path fetchBars asks for these bars by. */
export function barsPath(contractId: string, timeframe: string, range: RangeParams): string {
  return apiPath('/api/ohlc', query(contractId, timeframe, range));
}

/** The answer's bars as the chart's candles (read without zod's copy: ohlc-candles.ts). */
export function fetchBars(contractId: string, timeframe: string, range: RangeParams, options?: GetOptions): Promise<OhlcCandles> {
  return getJson('/api/ohlc', query(contractId, timeframe, range), ohlcCandles, options);
}

export function fetchTrendStarts(
  contractId: string,
  timeframe: string,
  analyzerId: string,
  range: RangeParams,
  options?: GetOptions,
): Promise<TrendStartsResponse> {
  return getJson('/api/trend-starts', query(contractId, timeframe, range, { analyzer_id: analyzerId }), trendStartsResponseSchema, options);
}

export function fetchSignals(contractId: string, timeframe: string, range: RangeParams, options?: GetOptions): Promise<SignalsResponse> {
  return getJson('/api/signals', query(contractId, timeframe, range), signalsResponseSchema, options);
}

export function fetchIndicators(
  contractId: string,
  timeframe: string,
  names: readonly string[],
  range: RangeParams,
  options?: GetOptions,
): Promise<IndicatorsResponse> {
  return getJson('/api/indicators', query(contractId, timeframe, range, { names: names.join(',') }), indicatorsResponseSchema, options);
}
