// The browser's calls to /api/trend-labels*: list, label a bar, remove a label, score; answers
// parsed with the handlers' own schemas, failures as ApiRequestError in words.
import type { DetectorId, TrendLabelType } from '@barstream/core';
import type { z } from 'zod';
import { apiErrorSchema } from '../api/response-schemas.ts';
import {
  deletedResponseSchema,
  scoreResponseSchema,
  trendLabelsResponseSchema,
  wireTrendLabelSchema,
  type ScoreResponse,
  type WireTrendLabel,
} from '../api/trend-label-schemas.ts';
import { ApiRequestError } from '../chart/chart-api.ts';

async function call<S extends z.ZodType>(path: string, init: RequestInit, schema: S): Promise<z.output<S>> {
  let response: Response;
  let body: unknown;
  try {
    response = await fetch(path, { cache: 'no-store', ...init });
    body = await response.json().catch(() => undefined);
  } catch {
    throw new ApiRequestError(`Cannot reach the server (${path.split('?')[0]}).`);
  }
  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(body);
    throw new ApiRequestError(parsed.success ? parsed.data.error.message : `HTTP ${response.status}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiRequestError(`${path.split('?')[0]} answered in an unexpected shape.`);
  return parsed.data;
}

export async function fetchTrendLabels(contractId: string, timeframe: string, author: string): Promise<WireTrendLabel[]> {
  const q = new URLSearchParams({ contract_id: contractId, timeframe, author });
  return (await call(`/api/trend-labels?${q.toString()}`, {}, trendLabelsResponseSchema)).labels;
}

export function saveTrendLabel(
  contractId: string,
  timeframe: string,
  timeMs: number,
  labelType: TrendLabelType,
  author: string,
): Promise<WireTrendLabel> {
  return call(
    '/api/trend-labels',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        contract_id: contractId,
        timeframe,
        timestamp: new Date(timeMs).toISOString(),
        label_type: labelType,
        author,
      }),
    },
    wireTrendLabelSchema,
  );
}

export async function deleteTrendLabel(labelId: number): Promise<void> {
  await call(`/api/trend-labels/${labelId}`, { method: 'DELETE' }, deletedResponseSchema);
}

export function fetchScore(contractId: string, timeframe: string, detector: DetectorId, k: number, author: string): Promise<ScoreResponse> {
  const q = new URLSearchParams({ contract_id: contractId, timeframe, detector, k: String(k), author });
  return call(`/api/trend-labels/score?${q.toString()}`, {}, scoreResponseSchema);
}
