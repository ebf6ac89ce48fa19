// /api/smc/events and /api/smc/zones: a configured timeframe, the rows, and a 404 for an unknown
// contract (only an empty answer pays for that lookup).
import 'server-only';
import { formatTimeframe } from '@barstream/core';
import type { SmcEventsResponse, SmcZonesResponse } from '../api/smc-response-schemas.ts';
import type { SmcEventsQuery, SmcZonesQuery } from '../api/smc-routes.ts';
import { db } from '../server/db.ts';
import { requireConfiguredTimeframe } from './contracts.ts';
import { requireContractIfEmpty } from './ohlc.ts';
import { readSmcEvents, readSmcZones } from './smc-rows.ts';

export async function smcEvents(q: SmcEventsQuery): Promise<SmcEventsResponse> {
  requireConfiguredTimeframe(q.timeframe);
  const events = await readSmcEvents(db(), q);
  await requireContractIfEmpty(q.contractId, events);
  return { contract_id: q.contractId, timeframe: formatTimeframe(q.timeframe), events };
}

export async function smcZones(q: SmcZonesQuery): Promise<SmcZonesResponse> {
  requireConfiguredTimeframe(q.timeframe);
  const zones = await readSmcZones(db(), q);
  await requireContractIfEmpty(q.contractId, zones);
  return { contract_id: q.contractId, timeframe: formatTimeframe(q.timeframe), zones };
}
