// The chart's reads of /api/smc/events and /api/smc/zones, parsed with the handlers' own schemas.
import { SMC_DEFAULT_LIMIT } from '../../api/defaults.ts';
import {
  type SmcEventsResponse,
  smcEventsResponseSchema,
  type SmcZonesResponse,
  smcZonesResponseSchema,
} from '../../api/smc-response-schemas.ts';
import { getJson, query, type RangeParams } from '../chart-api.ts';

export function fetchSmcEvents(
  contractId: string,
  timeframe: string,
  range: RangeParams,
  signal?: AbortSignal,
): Promise<SmcEventsResponse> {
  return getJson('/api/smc/events', query(contractId, timeframe, { limit: SMC_DEFAULT_LIMIT, ...range }), smcEventsResponseSchema, {
    ...(signal ? { signal } : {}),
  });
}

export function fetchSmcZones(contractId: string, timeframe: string, range: RangeParams, signal?: AbortSignal): Promise<SmcZonesResponse> {
  return getJson('/api/smc/zones', query(contractId, timeframe, { limit: SMC_DEFAULT_LIMIT, ...range }), smcZonesResponseSchema, {
    ...(signal ? { signal } : {}),
  });
}
