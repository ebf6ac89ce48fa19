// The registry of /api/* routes that change data (POST, PUT, PATCH, DELETE), beside the read registry in
// routes.ts: the gate (api-gate.ts) lets their methods through, access-gate.ts asks a write key for them
// (being listed here is all a route needs), /api/openapi.json documents them.
import { backtestBodySchema, commandBodySchema, emergencyStopBodySchema, runBodySchema } from './run-bodies.ts';
import { strategyBodySchema, strategyDeletedResponseSchema, strategyResponseSchema } from './strategy-schemas.ts';
import { commandResponseSchema, emergencyStopAllResponseSchema, runIdResponseSchema, runResponseSchema } from './trading-schemas.ts';
import { alertWriteRouteEntries } from './alert-write-routes.ts';
import { writeRoute } from './api-write-route.ts';
import { deletedResponseSchema, importResponseSchema, trendLabelBodySchema, wireTrendLabelSchema } from './trend-label-schemas.ts';

export type { ApiWriteRoute } from './api-write-route.ts';

export const writeRoutes = {
  createTrendLabel: writeRoute({
    method: 'POST',
    path: '/api/trend-labels',
    body: { json: trendLabelBodySchema },
    response: wireTrendLabelSchema,
    status: 200,
    notFound: 'A timeframe that is not configured, or no bar of the contract and timeframe starts at `timestamp`.',
    summary: 'Label a bar as a trend start',
    description: 'Creates the label of one bar by one author, or replaces the one that author gave the bar; answers the stored label.',
  }),
  deleteTrendLabel: writeRoute({
    method: 'DELETE',
    path: '/api/trend-labels/{id}',
    body: null,
    response: deletedResponseSchema,
    status: 200,
    notFound: 'No label with this id.',
    summary: 'Remove a label',
    description: 'Deletes one label by its label_id and answers what was deleted.',
  }),
  importTrendLabels: writeRoute({
    method: 'POST',
    path: '/api/trend-labels/import',
    body: { csv: 'contract_id,timeframe,timestamp,label_type[,author][,created_at], as GET /api/trend-labels/export writes it.' },
    response: importResponseSchema,
    status: 200,
    summary: 'Import labels from CSV',
    description:
      'Stores every row (replacing the label an author gave the same bar) in one transaction, or, when any row is bad, nothing: ' +
      'a 400 whose `error.field` is `line <n>: <column>` and whose message lists every bad row.',
  }),
  // Trading (#14): strategies, paper runs, run commands, backtests. 409: the state refuses the request.
  createStrategy: writeRoute({
    method: 'POST',
    path: '/api/strategies',
    body: { json: strategyBodySchema },
    response: strategyResponseSchema,
    status: 201,
    conflict: 'A strategy with the YAML’s id exists (PUT replaces it).',
    summary: 'Create a strategy',
    description:
      'Stores a run config given as YAML (source api). A YAML mistake is a 400 whose `error.field` names the key (config_yaml.sizing.qty); nothing is stored.',
  }),
  replaceStrategy: writeRoute({
    method: 'PUT',
    path: '/api/strategies/{strategy_id}',
    body: { json: strategyBodySchema },
    response: strategyResponseSchema,
    status: 200,
    notFound: 'No strategy with this id.',
    conflict: 'The strategy comes from config/strategies/*.yaml: edit the file.',
    summary: 'Replace a strategy’s YAML',
    description: 'Replaces the YAML (its id must be the path’s). Past runs keep the config they ran with.',
  }),
  deleteStrategy: writeRoute({
    method: 'DELETE',
    path: '/api/strategies/{strategy_id}',
    body: null,
    response: strategyDeletedResponseSchema,
    status: 200,
    notFound: 'No strategy with this id.',
    conflict: 'The strategy comes from config/strategies/*.yaml: remove the file.',
    summary: 'Delete a strategy',
    description: 'Deletes an API strategy; its runs stay, without a strategy.',
  }),
  createRun: writeRoute({
    method: 'POST',
    path: '/api/runs',
    body: { json: runBodySchema },
    response: runIdResponseSchema,
    status: 201,
    notFound: 'No strategy with this strategy_id.',
    summary: 'Create a paper run',
    description:
      'A paper run (status created) of a stored strategy or inline YAML, with contract/timeframe overrides; start it with …/start.',
  }),
  startRun: writeRoute({
    method: 'POST',
    path: '/api/runs/{id}/start',
    body: null,
    response: runResponseSchema,
    status: 200,
    notFound: 'No run with this id.',
    conflict: 'The run is a backtest, or not created/stopped.',
    summary: 'Start a paper run',
    description: 'Sets a created or stopped paper run running and notifies the trader (trade_update).',
  }),
  stopRun: writeRoute({
    method: 'POST',
    path: '/api/runs/{id}/stop',
    body: null,
    response: runResponseSchema,
    status: 200,
    notFound: 'No run with this id.',
    conflict: 'The run is a backtest, or not created/running.',
    summary: 'Stop a paper run',
    description: 'Sets the run stopped: the trader stops feeding it; working orders stay as they are until it is started again.',
  }),
  runCommand: writeRoute({
    method: 'POST',
    path: '/api/runs/{id}/commands',
    body: { json: commandBodySchema },
    response: commandResponseSchema,
    status: 201,
    notFound: 'No run with this id.',
    conflict: 'The run is not running.',
    summary: 'Send a running run a command',
    description: 'A manual order (submit), cancel or replace, as core’s EngineCommand; stored in run_commands and applied by the trader.',
  }),
  emergencyStopRun: writeRoute({
    method: 'POST',
    path: '/api/runs/{id}/emergency-stop',
    body: { json: emergencyStopBodySchema },
    response: commandResponseSchema,
    status: 201,
    notFound: 'No run with this id.',
    conflict: 'The run is not running.',
    summary: 'Emergency stop of one run',
    description: 'An emergency_stop command: the trader halts the run (cancels working orders, flattens unless flatten is false).',
  }),
  emergencyStopAll: writeRoute({
    method: 'POST',
    path: '/api/runs/emergency-stop',
    body: { json: emergencyStopBodySchema },
    response: emergencyStopAllResponseSchema,
    status: 201,
    summary: 'Emergency stop of every running run',
    description: 'One emergency_stop command per running run, in one transaction.',
  }),
  createBacktest: writeRoute({
    method: 'POST',
    path: '/api/backtests',
    body: { json: backtestBodySchema },
    response: runIdResponseSchema,
    status: 201,
    notFound: 'No strategy with this strategy_id.',
    summary: 'Run a backtest on stored bars',
    description:
      'Creates a backtest run (status created) over [from, to) and notifies the trader, which runs it (progress, then completed with its report, or failed). ' +
      'A contract without closed bars of the timeframe in the range is a 400; nothing is stored.',
  }),
  ...alertWriteRouteEntries,
} as const;

/** A route path's pattern: `{id}` matches one path segment of digits, `{strategy_id}` one strategy id, any other
 * `{param}` one non-empty segment. */
export function pathPattern(path: string): RegExp {
  const escaped = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  const segment = (name: string): string =>
    name === 'id' ? '\\d{1,18}' : name === 'strategy_id' ? '[a-z0-9][a-z0-9_-]{0,99}' : '[^/]{1,200}';
  return new RegExp(`^${escaped.replace(/\{([^}]+)\}/g, (_, name: string) => segment(name))}$`);
}

const patterns = Object.values(writeRoutes).map((r) => ({ method: r.method, pattern: pathPattern(r.path) }));

/** The write methods `pathname` takes (none for a read-only or unknown path). */
export function writeMethodsOf(pathname: string): string[] {
  return patterns.filter((p) => p.pattern.test(pathname)).map((p) => p.method);
}
