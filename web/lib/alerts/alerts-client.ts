// The browser's calls to /api/alerts, /api/rules, /api/watchlist and /api/destinations: answers parsed
// with the handlers' own schemas; a refusal is a FieldError carrying the field the API named, so a
// form can show it beside that field.
import type { z } from 'zod';
import { alertsReadResponseSchema, alertsResponseSchema, wireAlertSchema, type WireAlert } from '../api/alert-schemas.ts';
import { deletedDestinationResponseSchema, wireDestinationSchema, type WireDestination } from '../api/destination-schemas.ts';
import { apiErrorSchema } from '../api/response-schemas.ts';
import { deletedRuleResponseSchema, wireRuleSchema, type WireRule } from '../api/rule-api-schemas.ts';
import { deletedWatchlistResponseSchema, wireWatchlistEntrySchema, type WireWatchlistEntry } from '../api/watchlist-schemas.ts';

export class FieldError extends Error {
  override readonly name = 'FieldError';
  constructor(
    message: string,
    /** The body field or query parameter the API named (absent: not about one field). */
    readonly field: string | undefined,
    readonly status: number,
  ) {
    super(message);
  }
}

async function call<S extends z.ZodType>(path: string, init: RequestInit, schema: S): Promise<z.output<S>> {
  let response: Response;
  let body: unknown;
  try {
    response = await fetch(path, {
      cache: 'no-store',
      ...init,
      headers: init.body === undefined ? init.headers : { 'content-type': 'application/json', ...init.headers },
    });
    body = await response.json().catch(() => undefined);
  } catch {
    throw new FieldError(`Cannot reach the server (${path.split('?')[0]}).`, undefined, 0);
  }
  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(body);
    if (parsed.success) throw new FieldError(parsed.data.error.message, parsed.data.error.field, response.status);
    throw new FieldError(`HTTP ${response.status}`, undefined, response.status);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new FieldError(`${path.split('?')[0]} answered in an unexpected shape.`, undefined, response.status);
  return parsed.data;
}

const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) });

export const fetchAlerts = (query: URLSearchParams) => call(`/api/alerts?${query.toString()}`, {}, alertsResponseSchema);
export const markAlert = (id: number, isRead: boolean): Promise<WireAlert> =>
  call(`/api/alerts/${id}`, json('PATCH', { is_read: isRead }), wireAlertSchema);
export const markAlerts = (filter: Record<string, string>, isRead: boolean) =>
  call('/api/alerts', json('PATCH', { ...filter, is_read: isRead }), alertsReadResponseSchema);

export interface RuleInput {
  readonly name: string;
  readonly description: string;
  readonly priority: number;
  readonly is_active: boolean;
  readonly config_yaml: string;
}
export const createRule = (rule: RuleInput): Promise<WireRule> => call('/api/rules', json('POST', rule), wireRuleSchema);
export const replaceRule = (id: number, rule: RuleInput): Promise<WireRule> => call(`/api/rules/${id}`, json('PUT', rule), wireRuleSchema);
export const toggleRule = (id: number, isActive: boolean): Promise<WireRule> =>
  call(`/api/rules/${id}`, json('PATCH', { is_active: isActive }), wireRuleSchema);
export const deleteRule = (id: number) => call(`/api/rules/${id}`, { method: 'DELETE' }, deletedRuleResponseSchema);

export const addWatchlist = (contractId: string, notes: string): Promise<WireWatchlistEntry> =>
  call('/api/watchlist', json('POST', { contract_id: contractId, notes }), wireWatchlistEntrySchema);
export const updateWatchlist = (contractId: string, change: { is_active?: boolean; notes?: string }): Promise<WireWatchlistEntry> =>
  call(`/api/watchlist/${encodeURIComponent(contractId)}`, json('PATCH', change), wireWatchlistEntrySchema);
export const removeWatchlist = (contractId: string) =>
  call(`/api/watchlist/${encodeURIComponent(contractId)}`, { method: 'DELETE' }, deletedWatchlistResponseSchema);

export const createDestination = (body: unknown): Promise<WireDestination> =>
  call('/api/destinations', json('POST', body), wireDestinationSchema);
/** Replaces a destination; a body without `secret` keeps the stored one. */
export const replaceDestination = (id: number, body: unknown): Promise<WireDestination> =>
  call(`/api/destinations/${id}`, json('PUT', body), wireDestinationSchema);
export const deleteDestination = (id: number) => call(`/api/destinations/${id}`, { method: 'DELETE' }, deletedDestinationResponseSchema);
