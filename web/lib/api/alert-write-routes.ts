// The write routes of alerts, rules, the watchlist and destinations (issue #15), spread into write-routes.ts.
import { writeRoute } from './api-write-route.ts';
import { alertReadBodySchema, alertsReadBodySchema, alertsReadResponseSchema, wireAlertSchema } from './alert-schemas.ts';
import { deletedDestinationResponseSchema, destinationBodySchema, wireDestinationSchema } from './destination-schemas.ts';
import { deletedRuleResponseSchema, ruleBodySchema, ruleToggleBodySchema, wireRuleSchema } from './rule-api-schemas.ts';
import {
  deletedWatchlistResponseSchema,
  watchlistAddBodySchema,
  watchlistUpdateBodySchema,
  wireWatchlistEntrySchema,
} from './watchlist-schemas.ts';

const RULE_BAD = 'A rule from config/rules (read-only here: edit its file), or another rule already has this name.';

export const alertWriteRouteEntries = {
  markAlert: writeRoute({
    method: 'PATCH',
    path: '/api/alerts/{id}',
    body: { json: alertReadBodySchema },
    response: wireAlertSchema,
    status: 200,
    notFound: 'No alert with this id.',
    summary: 'Mark one alert read or unread',
    description: 'Sets is_read of one alert and answers the alert.',
  }),
  markAlerts: writeRoute({
    method: 'PATCH',
    path: '/api/alerts',
    body: { json: alertsReadBodySchema },
    response: alertsReadResponseSchema,
    status: 200,
    summary: 'Mark every alert of a filter read or unread',
    description:
      'Sets is_read of every alert the body’s filter (contract_id, rule, severity, timeframe, from, to on bar time) selects; ' +
      'no filter: every alert ("mark all read"). Answers how many changed.',
  }),
  createRule: writeRoute({
    method: 'POST',
    path: '/api/rules',
    body: { json: ruleBodySchema },
    response: wireRuleSchema,
    status: 201,
    conflict: 'Another rule already has this name.',
    summary: 'Create a rule',
    description:
      'Validates config_yaml with the rule schema (a 400 whose `error.field` is the key, e.g. config_yaml.condition.compare.op, ' +
      'and whose message lists every problem; nothing stored), stores it with rule_type from the YAML and NOTIFYs rules_changed.',
  }),
  replaceRule: writeRoute({
    method: 'PUT',
    path: '/api/rules/{id}',
    body: { json: ruleBodySchema },
    response: wireRuleSchema,
    status: 200,
    notFound: 'No rule with this id.',
    conflict: RULE_BAD,
    summary: 'Replace a rule',
    description: 'Same body and validation as creating; rules of config/rules are read-only (409).',
  }),
  toggleRule: writeRoute({
    method: 'PATCH',
    path: '/api/rules/{id}',
    body: { json: ruleToggleBodySchema },
    response: wireRuleSchema,
    status: 200,
    notFound: 'No rule with this id.',
    conflict: RULE_BAD,
    summary: 'Switch a rule on or off',
    description: 'Sets is_active (in the column and the stored YAML) and NOTIFYs rules_changed.',
  }),
  deleteRule: writeRoute({
    method: 'DELETE',
    path: '/api/rules/{id}',
    body: null,
    response: deletedRuleResponseSchema,
    status: 200,
    notFound: 'No rule with this id.',
    conflict: RULE_BAD,
    summary: 'Delete a rule',
    description: 'Deletes the rule (its alerts stay, rule_id null) and NOTIFYs rules_changed.',
  }),
  addWatchlist: writeRoute({
    method: 'POST',
    path: '/api/watchlist',
    body: { json: watchlistAddBodySchema },
    response: wireWatchlistEntrySchema,
    status: 201,
    notFound: 'The contract is not in `contracts` (`error.available` lists the stored ones).',
    conflict: 'The contract is already in the watchlist.',
    summary: 'Watch a contract',
    description: 'Adds a stored contract to the watchlist and NOTIFYs watchlist_changed (the ingester subscribes without a restart).',
  }),
  updateWatchlist: writeRoute({
    method: 'PATCH',
    path: '/api/watchlist/{contract_id}',
    body: { json: watchlistUpdateBodySchema },
    response: wireWatchlistEntrySchema,
    status: 200,
    notFound: 'The contract is not in the watchlist.',
    summary: 'Switch a watched contract on or off, or edit its notes',
    description: 'Sets is_active and/or notes and NOTIFYs watchlist_changed.',
  }),
  removeWatchlist: writeRoute({
    method: 'DELETE',
    path: '/api/watchlist/{contract_id}',
    body: null,
    response: deletedWatchlistResponseSchema,
    status: 200,
    notFound: 'The contract is not in the watchlist.',
    summary: 'Stop watching a contract',
    description: 'Removes the entry and NOTIFYs watchlist_changed (the ingester unsubscribes).',
  }),
  createDestination: writeRoute({
    method: 'POST',
    path: '/api/destinations',
    body: { json: destinationBodySchema },
    response: wireDestinationSchema,
    status: 201,
    conflict: 'Another destination already has this name.',
    summary: 'Create a destination',
    description:
      'kind webhook (config url, format plain|slack|discord; secret: the HMAC-SHA256 key), telegram (config chat_id; secret: the bot ' +
      'token) or email (config to, from, host, port, secure, user; secret: the SMTP password). The secret is write-only.',
  }),
  replaceDestination: writeRoute({
    method: 'PUT',
    path: '/api/destinations/{id}',
    body: { json: destinationBodySchema },
    response: wireDestinationSchema,
    status: 200,
    notFound: 'No destination with this id.',
    conflict: 'Another destination already has this name.',
    summary: 'Replace a destination',
    description: 'Same body as creating; secret absent keeps the stored one, null removes it.',
  }),
  deleteDestination: writeRoute({
    method: 'DELETE',
    path: '/api/destinations/{id}',
    body: null,
    response: deletedDestinationResponseSchema,
    status: 200,
    notFound: 'No destination with this id.',
    summary: 'Delete a destination',
    description: 'Deletes the destination and its deliveries.',
  }),
} as const;
