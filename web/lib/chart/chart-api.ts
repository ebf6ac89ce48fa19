// The browser's reads of /api/ohlc and /api/trend-starts, parsed, with readable failures.
import type { z } from 'zod';
import {
  apiErrorSchema, ohlcResponseSchema, trendStartsResponseSchema, type OhlcResponse, type TrendStartsResponse,
} from '../api-schemas.ts';

export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
}

async function getJson<S extends z.ZodType>(path: string, params: Record<string, string>, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
  const url = `${path}?${new URLSearchParams(params).toString()}`;
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-store', ...(signal ? { signal } : {}) });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiRequestError(`Cannot reach the server (${path}).`);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(body);
    const reason = parsed.success ? parsed.data.error.message : `HTTP ${response.status}`;
    throw new ApiRequestError(`${path} failed: ${reason}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiRequestError(`${path} answered in an unexpected shape.`);
  return parsed.data;
}

export function fetchBars(contractId: string, timeframe: string, signal?: AbortSignal): Promise<OhlcResponse> {
  return getJson('/api/ohlc', { contract_id: contractId, timeframe }, ohlcResponseSchema, signal);
}

export function fetchTrendStarts(contractId: string, timeframe: string, signal?: AbortSignal): Promise<TrendStartsResponse> {
  return getJson('/api/trend-starts', { contract_id: contractId, timeframe }, trendStartsResponseSchema, signal);
}
