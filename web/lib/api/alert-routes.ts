// The read routes of alerts, rules, the watchlist and destinations (issue #15), spread into routes.ts.
import { z } from 'zod';
import {
  alertDetailResponseSchema,
  alertsQuerySchema,
  alertsResponseSchema,
  alertStatsQuerySchema,
  alertStatsResponseSchema,
  ALERTS_MAX_LIMIT,
} from './alert-schemas.ts';
import type { ApiRoute } from './api-route.ts';
import { destinationsResponseSchema } from './destination-schemas.ts';
import { rulesResponseSchema } from './rule-api-schemas.ts';
import { watchlistResponseSchema } from './watchlist-schemas.ts';

const noQuery = z.object({});

function route<Q extends z.ZodType, R extends z.ZodType>(r: ApiRoute<Q, R>): ApiRoute<Q, R> {
  return r;
}

export const alertRouteEntries = {
  alerts: route({
    path: '/api/alerts',
    query: alertsQuerySchema,
    response: alertsResponseSchema,
    summary: 'Alerts, newest first',
    description:
      `Stored alerts with each destination's delivery state, filtered by contract, rule, severity, read state, timeframe and ` +
      `bar time; up to ${ALERTS_MAX_LIMIT} a page, older pages through before_id = next_before_id.`,
  }),
  alertStats: route({
    path: '/api/alerts/stats',
    query: alertStatsQuerySchema,
    response: alertStatsResponseSchema,
    summary: 'Alert counts by rule, contract and day',
    description: 'Counts (and unread counts) of the alerts the filter selects, per rule, per contract and per UTC day of created_at.',
  }),
  alert: route({
    path: '/api/alerts/{id}',
    query: noQuery,
    response: alertDetailResponseSchema,
    notFound: 'No alert with this id.',
    summary: 'One alert with every delivery attempt',
    description: 'The alert, and per destination its delivery state (queued, retrying, delivered, dead) and every attempt made.',
  }),
  rules: route({
    path: '/api/rules',
    query: noQuery,
    response: rulesResponseSchema,
    summary: 'Alert rules',
    description: 'Every rule, from config/rules (source file, read-only here) and created through the API (source api).',
  }),
  watchlist: route({
    path: '/api/watchlist',
    query: noQuery,
    response: watchlistResponseSchema,
    summary: 'Watched contracts',
    description: 'The contracts rules with `contracts: watchlist` apply to; the ingester subscribes to the active ones.',
  }),
  destinations: route({
    path: '/api/destinations',
    query: noQuery,
    response: destinationsResponseSchema,
    summary: 'Where alerts are sent',
    description: 'Webhook, Telegram and e-mail destinations; secrets are never answered (has_secret says whether one is stored).',
  }),
} as const;
