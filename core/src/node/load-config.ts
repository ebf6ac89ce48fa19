// Reads config/settings.yaml once, applies the documented env overrides, validates, freezes.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { validateDetailed as validateCron } from 'node-cron';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { configErrorMap, expected, flattenIssues, formatPath } from '../config/config-messages.ts';
import { ConfigError } from '../errors.ts';
import { settingsSchema, type Settings } from '../config/settings-schema.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** env variable → settings path, and how to read it. Documented in .env.template. */
const ENV_OVERRIDES: ReadonlyArray<[string, string, 'string' | 'number' | 'list']> = [
  ['DATABASE_URL', 'database.url', 'string'],
  ['EMBEDDED_PG_PORT', 'database.embedded_port', 'number'],
  ['BARSTREAM_DATA_DIR', 'database.embedded_data_dir', 'string'],
  ['INGEST_PROVIDER', 'ingester.provider', 'string'],
  ['INGEST_CONTRACTS', 'ingester.contracts', 'list'],
  ['INGEST_TIMEFRAMES', 'ingester.timeframes', 'list'],
  ['INGEST_FLUSH_INTERVAL_MS', 'ingester.flush_interval_ms', 'number'],
  ['SIM_TICKS_PER_SECOND', 'ingester.simulated.ticks_per_second', 'number'],
  ['SIM_MARKET_HOURS', 'ingester.simulated.market_hours', 'string'],
  ['INGESTER_METRICS_PORT', 'ingester.metrics_port', 'number'],
  ['ANALYZER_METRICS_PORT', 'analyzer.metrics_port', 'number'],
  ['ALERTER_METRICS_PORT', 'alerter.metrics_port', 'number'],
  ['TELEGRAM_API_URL', 'alerter.delivery.telegram_api_url', 'string'],
  ['TRADER_METRICS_PORT', 'trader.metrics_port', 'number'],
  ['WEBSOCKET_HOST', 'broadcaster.host', 'string'],
  ['WEBSOCKET_PORT', 'broadcaster.port', 'number'],
  ['BROADCASTER_METRICS_PORT', 'broadcaster.metrics_port', 'number'],
  ['BROADCASTER_TOKEN', 'broadcaster.token', 'string'],
  ['BROADCASTER_ALLOWED_ORIGINS', 'broadcaster.allowed_origins', 'list'],
  ['BROADCASTER_WRITE_INTERVAL_MS', 'broadcaster.write_interval_ms', 'number'],
  ['WEB_HOST', 'web.host', 'string'],
  ['WEB_PORT', 'web.port', 'number'],
  ['BROADCASTER_URL', 'web.broadcaster_url', 'string'],
  ['PROJECTX_API_URL', 'providers.projectx.api_url', 'string'],
  ['PROJECTX_MARKET_HUB_URL', 'providers.projectx.market_hub_url', 'string'],
  ['PROJECTX_USERNAME', 'providers.projectx.username', 'string'],
  ['PROJECTX_API_KEY', 'providers.projectx.api_key', 'string'],
  ['BINANCE_REST_URL', 'providers.binance.rest_url', 'string'],
  ['BINANCE_WS_URL', 'providers.binance.ws_url', 'string'],
  ['COINBASE_REST_URL', 'providers.coinbase.rest_url', 'string'],
  ['COINBASE_WS_URL', 'providers.coinbase.ws_url', 'string'],
  ['ALPACA_DATA_URL', 'providers.alpaca.data_url', 'string'],
  ['ALPACA_STREAM_URL', 'providers.alpaca.stream_url', 'string'],
  ['ALPACA_FEED', 'providers.alpaca.feed', 'string'],
  ['ALPACA_ADJUSTMENT', 'providers.alpaca.adjustment', 'string'],
  ['ALPACA_KEY_ID', 'providers.alpaca.key_id', 'string'],
  ['ALPACA_SECRET_KEY', 'providers.alpaca.secret_key', 'string'],
  ['REPLAY_FILE', 'providers.replay.file', 'string'],
  ['REPLAY_SPEED', 'providers.replay.speed', 'number'],
  ['LOG_LEVEL', 'logging.level', 'string'],
  ['AUTH_MODE', 'auth.mode', 'string'],
  ['AUTH_SECRET', 'auth.secret', 'string'],
  ['RATE_LIMIT_PER_KEY', 'auth.rate_limit.per_key', 'number'],
  ['RATE_LIMIT_PER_IP', 'auth.rate_limit.per_ip', 'number'],
  ['RATE_LIMIT_WINDOW_SECONDS', 'auth.rate_limit.window_seconds', 'number'],
  ['LEASES_RETRY_MS', 'leases.retry_ms', 'number'],
];

export interface LoadedConfig {
  readonly settings: Settings;
  /** Directory holding config/ (the repository root); relative paths resolve against it. */
  readonly rootDir: string;
  readonly configPath: string;
}

/** Finds the repository root by walking up from `start` to a directory with config/settings.yaml. */
export function findRootDir(start = process.cwd()): string {
  // turbopackIgnore: the walk is runtime-only; without it Next traces the whole repository.
  let dir = resolve(/* turbopackIgnore: true */ start);
  for (;;) {
    if (existsSync(join(dir, 'config', 'settings.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new ConfigError(`config/settings.yaml not found above ${start}`);
    dir = parent;
  }
}

/** Settings from config/settings.yaml, overridden by .env at the root (if any), overridden by the
 * process environment. */
export function loadConfig(processEnv: Env = process.env): LoadedConfig {
  const configPath = processEnv.BARSTREAM_CONFIG ? resolve(processEnv.BARSTREAM_CONFIG) : join(findRootDir(), 'config', 'settings.yaml');
  const dotEnvPath = join(dirname(dirname(configPath)), '.env');
  const env: Env = existsSync(dotEnvPath) ? { ...parseEnv(readFileSync(dotEnvPath, 'utf8')), ...processEnv } : processEnv;
  if (!existsSync(configPath)) throw new ConfigError(`config file ${configPath} does not exist`);
  const rootDir = dirname(dirname(configPath));
  const source = displayPath(configPath);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(configPath, 'utf8')) ?? {};
  } catch (err) {
    throw new ConfigError(`${source}: not valid YAML: ${(err as Error).message}`);
  }
  return { settings: parseSettings(raw, env, source), rootDir, configPath };
}

/** loadConfig for a script's top level: a ConfigError prints its lines (the stack only with
 * LOG_LEVEL=debug) and exits 1, as the services do. */
export function loadConfigOrExit(processEnv: Env = process.env): LoadedConfig {
  try {
    return loadConfig(processEnv);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(processEnv.LOG_LEVEL === 'debug' ? err.stack : err.message);
    process.exit(1);
  }
}

/** The config file as the user knows it: relative to the working directory when under it. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** The settings schema plus what only Node can check: the cron expressions (the analyzer's sweep_cron,
 * retention.cron), with the scheduler's own parser (node-cron, which core's pure part cannot import). */
const nodeSettingsSchema = settingsSchema.superRefine((settings, ctx) => {
  const crons: [string, string, string][] = [
    ['analyzer', 'sweep_cron', settings.analyzer.sweep_cron],
    ['retention', 'cron', settings.retention.cron],
  ];
  for (const [section, key, cron] of crons) {
    const verdict = validateCron(cron);
    if (verdict.valid) continue;
    const why = verdict.errors.map((e) => e.message).join('; ');
    ctx.addIssue({
      code: 'custom',
      path: [section, key],
      input: cron,
      message: `${expected('a cron expression like */5 * * * * (minute hour day month weekday; seconds first when 6 fields)')({ input: cron })} (${why})`,
    });
  }
});

/** Validates a settings object with env overrides applied; errors name the key (and env var). */
export function parseSettings(raw: unknown, env: Env = {}, source = 'settings'): Settings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${source}: top level must be a mapping`);
  }
  const merged = structuredClone(raw) as Record<string, unknown>;
  const fromEnv = new Map<string, string>();
  for (const [name, path, kind] of ENV_OVERRIDES) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    // A number that is not one stays text, so the error shows what was written ("abc", not NaN).
    const parsed =
      kind === 'number'
        ? Number.isNaN(Number(value))
          ? value
          : Number(value)
        : kind === 'list'
          ? value
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : value;
    setPath(merged, path.split('.'), parsed);
    fromEnv.set(path, name);
  }
  const result = nodeSettingsSchema.safeParse(merged, { error: configErrorMap });
  if (!result.success) throw new ConfigError(describeIssues(result.error.issues, fromEnv, source).join('\n'));
  return deepFreeze(result.data);
}

/** One line per problem: `<file or ENV (env)>: <key path>: <what was expected, what was found>`. */
function describeIssues(issues: readonly z.core.$ZodIssue[], fromEnv: Map<string, string>, source: string): string[] {
  return flattenIssues(issues).map(({ path, message }) => {
    const key = formatPath(path);
    const dotted = path.map(String).join('.');
    const envName = [...fromEnv].find(([p]) => dotted === p || dotted.startsWith(`${p}.`))?.[1];
    return `${envName ? `${envName} (env)` : source}: ${key || '(top level)'}: ${message}`;
  });
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
