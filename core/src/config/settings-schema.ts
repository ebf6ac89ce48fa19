// The one schema of config/settings.yaml (plus env overrides); defaults live here beside it.
import { z } from 'zod';
import { EXCHANGE_CALENDARS, exchangeCalendarNames } from '../calendars/exchange-calendars.ts';
import { NO_PARAMS } from '../strategies/strategy-params.ts';
import { findStrategy, strategyIds } from '../strategies/strategy-registry.ts';
import { isValidTimeZone } from '../time-zone.ts';
import { parseTimeframe } from '../timeframe.ts';
import { configErrorMap, didYouMean, expected } from './config-messages.ts';
import { smcStudySchema } from './smc-study-schema.ts';

const timeframeText = z.string({ error: expected('a timeframe like 1m, 5m, 1h, 4h, 1d, 1w, 1mo') }).refine(
  (s) => {
    try {
      parseTimeframe(s);
      return true;
    } catch {
      return false;
    }
  },
  { error: expected('a timeframe like 1m, 5m, 1h, 4h, 1d, 1w, 1mo') },
);

const PORT = 'a port number (0–65535)';
const port = z
  .number({ error: expected(PORT) })
  .int({ error: expected(PORT) })
  .min(0, { error: expected(PORT) })
  .max(65535, { error: expected(PORT) });

const timeZone = z.string().refine(isValidTimeZone, {
  error: (issue) => {
    const hint = typeof issue.input === 'string' ? didYouMean(issue.input, Intl.supportedValuesOf('timeZone')) : '';
    return `${expected('an IANA time zone like America/Chicago or UTC')(issue)}${hint}`;
  },
});

const DAYS = 'a whole number of days (1 or more)';
const retentionDays = z
  .number({ error: expected(DAYS) })
  .int({ error: expected(DAYS) })
  .min(1, { error: expected(DAYS) });

const PROVIDERS = ['simulated', 'replay', 'projectx', 'binance', 'coinbase', 'alpaca'] as const;

/** A `session_calendars` entry: a shipped exchange calendar (core/src/calendars), or the old form,
 * a time zone and an open time only (no holidays, no breaks, always open). */
export type CalendarSettings = { readonly calendar: string } | { readonly timezone: string; readonly session_open: string };

/** Calendars every configuration has, unless it defines its own of the same name: the old names
 * point at the exchange calendars, which are also there under their own names (xnys, …). */
export const DEFAULT_CALENDARS: Readonly<Record<string, CalendarSettings>> = {
  utc: { calendar: 'crypto_24_7' },
  cme_globex: { calendar: 'cme_equity_futures' },
  ...Object.fromEntries(exchangeCalendarNames().map((name) => [name, { calendar: name }])),
};

/** A Binance symbol the ingester may run without a contracts: entry (UTC calendar, 0.01 tick). */
export const UNLISTED_BINANCE_SYMBOL = /^[A-Z0-9]{5,20}$/;

/** A US stock symbol (SPY, BRK.B) the ingester may run on Alpaca without a contracts: entry (xnys calendar, 0.01 tick). */
export const UNLISTED_ALPACA_SYMBOL = /^[A-Z][A-Z0-9]{0,9}([./][A-Z]{1,2})?$/;
/** A Coinbase product (BASE-QUOTE) the ingester may run without a contracts: entry (UTC calendar; the tick
 * size comes from the venue's quote_increment at start). */
export const UNLISTED_COINBASE_PRODUCT = /^[A-Z0-9]{1,12}-[A-Z0-9]{1,12}$/;

/** Whether `id` may be ingested from `provider` without a contracts: entry. */
export function isUnlistedVenueProduct(provider: string, id: string): boolean {
  return (
    (provider === 'binance' && UNLISTED_BINANCE_SYMBOL.test(id)) ||
    (provider === 'coinbase' && UNLISTED_COINBASE_PRODUCT.test(id)) ||
    (provider === 'alpaca' && UNLISTED_ALPACA_SYMBOL.test(id))
  );
}

const contractSchema = z.strictObject({
  id: z.string().min(1),
  provider: z.enum(PROVIDERS),
  symbol: z.string().min(1),
  name: z.string().default(''),
  description: z.string().default(''),
  tick_size: z.number().positive(),
  session_calendar: z.string().min(1),
  /** Simulated provider only: where the random walk starts. */
  start_price: z.number().positive().optional(),
  /** Trading (docs/TRADING.md): what a tick is worth and how the contract is margined; a strategy
   * run without an `instrument:` takes them from here (the contract sync writes them to contracts). */
  instrument_kind: z.enum(['future', 'crypto']).optional(),
  tick_value: z.number().positive().optional(),
  multiplier: z.number().positive().optional(),
  qty_step: z.number().positive().optional(),
  initial_margin: z.number().nonnegative().optional(),
});

const calendarSchema = z
  .strictObject({
    calendar: z
      .string()
      .refine((name) => name in EXCHANGE_CALENDARS, {
        error: (issue) => {
          const names = exchangeCalendarNames();
          const hint = typeof issue.input === 'string' ? didYouMean(issue.input, names) : '';
          return `${expected(`one of the exchange calendars ${names.join(', ')}`)(issue)}${hint}`;
        },
      })
      .optional(),
    timezone: timeZone.optional(),
    session_open: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: expected('a time HH:MM (00:00–23:59)') })
      .optional(),
  })
  .superRefine((entry, ctx) => {
    const oldForm = entry.timezone !== undefined || entry.session_open !== undefined;
    if (entry.calendar !== undefined && oldForm) {
      ctx.addIssue({
        code: 'custom',
        path: ['calendar'],
        input: entry.calendar,
        message: 'give either calendar or timezone + session_open, not both',
      });
    } else if (entry.calendar === undefined) {
      for (const key of ['timezone', 'session_open'] as const) {
        if (entry[key] === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            input: undefined,
            message: `missing; expected ${key === 'timezone' ? 'an IANA time zone' : 'a time HH:MM'} (or calendar: one of ${exchangeCalendarNames().join(', ')})`,
          });
        }
      }
    }
  })
  .transform((entry): CalendarSettings =>
    entry.calendar !== undefined
      ? { calendar: entry.calendar }
      : { timezone: entry.timezone ?? 'UTC', session_open: entry.session_open ?? '00:00' },
  );

const targetSchema = z
  .strictObject({
    analyzer_id: z.string().min(1),
    strategy: z.string().min(1),
    contract_id: z.string().min(1),
    timeframes: z.array(timeframeText).min(1),
    params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
  })
  .superRefine((target, ctx) => {
    const definition = findStrategy(target.strategy);
    if (!definition) {
      const known = strategyIds();
      ctx.addIssue({
        code: 'custom',
        path: ['strategy'],
        input: target.strategy,
        message: `${expected(`one of ${known.join(', ')}`)({ input: target.strategy })}${didYouMean(target.strategy, known)}`,
      });
      return;
    }
    // The strategy's own schema: its messages are complete, so issues keep them (paths under params).
    const result = (definition.params ?? NO_PARAMS).safeParse(target.params, { error: configErrorMap });
    if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ ...issue, path: ['params', ...issue.path] });
  });

export const settingsSchema = z
  .strictObject({
    database: z
      .strictObject({
        url: z.string().min(1).optional(),
        embedded_port: port.default(54329),
        embedded_data_dir: z.string().min(1).default('.data/postgres'),
        pool_size: z.number().int().positive().default(10),
      })
      .prefault({}),
    session_calendars: z.record(z.string(), calendarSchema).default({}),
    contracts: z.array(contractSchema).default([]),
    ingester: z.strictObject({
      provider: z.enum(PROVIDERS).default('simulated'),
      contracts: z.array(z.string().min(1)).min(1),
      timeframes: z.array(timeframeText).min(1).default(['1m', '5m']),
      flush_interval_ms: z.number().int().min(10).max(60_000).default(250),
      close_grace_ms: z.number().int().min(0).max(600_000).default(2_000),
      max_clock_skew_ms: z.number().int().positive().default(300_000),
      /** How far back backfill reaches when a contract has no closed bars yet (and at most). */
      backfill_lookback_hours: z
        .number()
        .positive()
        .max(24 * 366)
        .default(72),
      metrics_host: z.string().default('127.0.0.1'),
      metrics_port: port.default(9101),
      simulated: z
        .strictObject({
          ticks_per_second: z.number().positive().max(1_000_000).default(20),
          seed: z.number().int().default(42),
          /** calendar: a contract trades only while its session calendar is open (CME contracts
           * pause at night, weekends, holidays); always: around the clock (tests, demos). */
          market_hours: z.enum(['calendar', 'always']).default('calendar'),
        })
        .prefault({}),
    }),
    analyzer: z
      .strictObject({
        metrics_host: z.string().default('127.0.0.1'),
        metrics_port: port.default(9102),
        sweep_cron: z.string().default('*/5 * * * *'),
        targets: z.array(targetSchema).default([]),
        /** SMC study instances (smc-study-schema.ts): stored in smc_events / zones. */
        smc: z.array(smcStudySchema).default([]),
      })
      .prefault({}),
    /** The alerter (issue #15): rules × watched contracts → alerts, delivered through pg-boss. */
    alerter: z
      .strictObject({
        metrics_host: z.string().default('127.0.0.1'),
        metrics_port: port.default(9104),
        /** Directory of the rule files, relative to the repository root. */
        rules_dir: z.string().min(1).default('config/rules'),
        /** Contracts put on the watchlist once, when the watchlist table is empty. */
        watchlist_seed: z.array(z.string().min(1)).default(['SIM.MES', 'SIM.MNQ', 'SIM.BTC']),
        /** Where people open the web app (absolute links in deliveries); absent: links are paths. */
        public_web_url: z.url().optional(),
        /** First instant evaluated (ISO); absent: the first stored bar of each watched series. */
        evaluation_start: z.iso.datetime({ offset: true }).optional(),
        delivery: z
          .strictObject({
            /** Attempts in flight at once: a hanging destination holds one slot until its timeout. */
            concurrency: z.number().int().min(1).max(256).default(16),
            /** Attempts per (alert, destination) before it is dead-lettered. */
            max_attempts: z.number().int().min(1).max(100).default(8),
            /** First retry delay; doubles per attempt (with jitter) up to backoff_max_ms. */
            backoff_ms: z.number().int().min(1).max(3_600_000).default(1_000),
            backoff_max_ms: z.number().int().min(1).max(86_400_000).default(300_000),
            /** One attempt's time limit (AbortSignal). */
            attempt_timeout_ms: z.number().int().min(100).max(300_000).default(10_000),
            /** How often the queue is polled when nothing woke it (retries due later). */
            poll_interval_ms: z.number().int().min(500).max(60_000).default(1_000),
            /** How often pg-boss re-queues attempts whose alerter died mid-attempt (seconds). */
            queue_maintenance_s: z.number().int().min(1).max(3_600).default(30),
            /** Telegram Bot API base (TELEGRAM_API_URL): a local Bot API server, or a test's fake. */
            telegram_api_url: z.url().default('https://api.telegram.org'),
          })
          .prefault({}),
      })
      .prefault({}),
    broadcaster: z
      .strictObject({
        host: z.string().default('127.0.0.1'),
        port: port.default(8765),
        metrics_port: port.default(9103),
        token: z.string().min(1).optional(),
        allowed_origins: z.array(z.string()).default([]),
        /** Least ms between two writes to a client: the messages within it share one write (one system
         * call per client, not one per message; docs/WEBSOCKET.md). 0: after every event-loop turn. */
        write_interval_ms: z.number().int().min(0).max(100).default(0),
      })
      .prefault({}),
    trader: z
      .strictObject({
        metrics_host: z.string().default('127.0.0.1'),
        metrics_port: port.default(9105),
        /** Strategy files (*.yaml, docs/TRADING.md): synced into strategies at start; `mode: paper` ones run live. */
        strategies_dir: z.string().min(1).default('config/strategies'),
        /** How often created backtests and paper runs are looked for besides their NOTIFY (missed ones). */
        scan_interval_ms: z.number().int().min(100).default(5_000),
        /** Paper steps wait for their commit's WAL flush. Off by default: a paper run's rows are derived from
         * stored inputs, and a write continues the stored watermark or fails, so commits a database crash
         * drops are stored again, the same, by the next step (docs/TRADING.md). */
        paper_synchronous_commit: z.boolean().default(false),
        /** Tick-model paper runs: between closed bars the equity marked to the latest trade goes out as a
         * trade_update NOTIFY (`live: true`, no rows) at most this often; equity points stay per closed bar. */
        paper_mark_interval_ms: z.number().int().min(0).default(1_000),
      })
      .prefault({}),
    web: z
      .strictObject({
        host: z.string().default('127.0.0.1'),
        port: port.default(3000),
        /** Where browsers reach the broadcaster; default: same host as the page, broadcaster port. */
        broadcaster_url: z.string().optional(),
      })
      .prefault({}),
    status: z
      .strictObject({
        /** Where the web server reaches the services' /health and /metrics. */
        host: z.string().default('127.0.0.1'),
        /** Services /status lists besides the ingester, analyzer and broadcaster (whose metrics ports
         * come from their own sections): a new service adds its entry here. */
        services: z
          .array(z.strictObject({ name: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'a lower-case service name'), metrics_port: port }))
          .default([
            { name: 'alerter', metrics_port: 9104 },
            { name: 'trader', metrics_port: 9105 },
          ]),
      })
      .prefault({}),
    providers: z
      .strictObject({
        projectx: z
          .strictObject({
            api_url: z.url().default('https://api.topstepx.com'),
            market_hub_url: z.url().default('https://rtc.topstepx.com/hubs/market'),
            username: z.string().min(1).optional(),
            api_key: z.string().min(1).optional(),
            /** Tokens last 24 h; refreshed (Auth/validate) this long after they were issued. */
            token_refresh_ms: z
              .number()
              .int()
              .positive()
              .default(20 * 3_600_000),
            /** ProjectX `live` flag for history and contract search (false = the sim/eval data feed). */
            live: z.boolean().default(false),
          })
          .prefault({}),
        binance: z
          .strictObject({
            rest_url: z.url().default('https://api.binance.com'),
            ws_url: z.url().default('wss://stream.binance.com:9443'),
            /** Binance cuts connections at 24 h: a new one is opened (and overlapped) this long after connecting. */
            rotate_after_ms: z
              .number()
              .int()
              .positive()
              .default(23 * 3_600_000),
          })
          .prefault({}),
        coinbase: z
          .strictObject({
            rest_url: z.url().default('https://api.coinbase.com'),
            ws_url: z.url().default('wss://advanced-trade-ws.coinbase.com'),
          })
          .prefault({}),
        alpaca: z
          .strictObject({
            /** Alpaca Market Data v2 REST (ALPACA_DATA_URL). */
            data_url: z.url().default('https://data.alpaca.markets'),
            /** WebSocket base (ALPACA_STREAM_URL); the feed is appended: <stream_url>/iex. */
            stream_url: z.url().default('wss://stream.data.alpaca.markets/v2'),
            /** iex: free, one exchange; sip: every US exchange (paid plan). */
            feed: z.enum(['iex', 'sip', 'delayed_sip']).default('iex'),
            /** Corporate-action adjustment of REST bars: raw matches the live trades. */
            adjustment: z.enum(['raw', 'split', 'dividend', 'all']).default('raw'),
            /** ALPACA_KEY_ID / ALPACA_SECRET_KEY (in .env); never logged. */
            key_id: z.string().min(1).optional(),
            secret_key: z.string().min(1).optional(),
          })
          .prefault({}),
        replay: z
          .strictObject({
            file: z.string().optional(),
            /** Stream time per wall time; .inf in YAML (or REPLAY_SPEED=Infinity) replays as fast as possible. */
            speed: z.union([z.number().positive(), z.literal(Infinity)]).default(60),
          })
          .prefault({}),
      })
      .prefault({}),
    /** Access to /api/* and the live stream: API keys, sessions, WebSocket tickets, rate limits (docs/SECURITY.md). */
    auth: z
      .strictObject({
        /** off: no checks; write: writes need a write key, reads open; all: every request needs a key or
         * a session. Unset: write once any API key exists, else off. */
        mode: z.enum(['off', 'write', 'all']).optional(),
        /** Signs session cookies and WebSocket tickets; shared by web and broadcaster. Unset: generated
         * once into auth-secret beside the embedded data dir. */
        secret: z.string().min(32, { error: 'expected at least 32 characters (the value is a secret and not shown)' }).optional(),
        /** How long a WebSocket ticket is accepted after it was issued. */
        ticket_ttl_seconds: z.number().int().min(5).max(3_600).default(60),
        session_ttl_hours: z
          .number()
          .positive()
          .max(24 * 90)
          .default(12),
        rate_limit: z
          .strictObject({
            /** Requests per window for one API key (or one signed-in session's key). */
            per_key: z.number().int().positive().default(200),
            /** Requests per window for one client address without a key. */
            per_ip: z.number().int().positive().default(100),
            window_seconds: z.number().int().positive().max(86_400).default(1),
            /** Whether loopback clients (127.0.0.1, ::1: this machine's tools, benchmarks, a local proxy
             * that does not set X-Forwarded-For) count against per_ip. Keys always count. */
            limit_loopback: z.boolean().default(false),
          })
          .prefault({}),
      })
      .prefault({}),
    /** How long ticks and bars are kept (issue #18; docs/DEPLOY.md "Retention"). Unset: kept for ever. */
    retention: z
      .strictObject({
        /** Ticks older than this many days are removed (TimescaleDB: a retention policy; else the ingester's job). */
        ticks_days: retentionDays.optional(),
        /** Per timeframe (`1m: 30`): bars of that timeframe older than this many days are removed. */
        bars: z.record(z.string(), retentionDays).default({}),
        /** When the ingester's retention job runs (it also runs at start); node-cron syntax, server time zone. */
        cron: z.string().default('30 3 * * *'),
        /** Rows one DELETE removes at most: small batches keep locks and WAL bursts short. */
        batch_rows: z.number().int().min(100).max(100_000).default(10_000),
      })
      .prefault({}),
    /** Advisory-lock leases per unit of work (issue #18; docs/DEPLOY.md "Standbys and scale-out"): a
     * second instance of a service is a hot standby, several share the units. */
    leases: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** How often an instance tries the units it does not hold (and counts the live instances):
         * a dead instance's units are taken over within about this. */
        retry_ms: z.number().int().min(100).max(1_000).default(500),
      })
      .prefault({}),
    logging: z
      .strictObject({
        level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
      })
      .prefault({}),
  })
  .superRefine((settings, ctx) => {
    const calendars = [...new Set([...Object.keys(settings.session_calendars), ...Object.keys(DEFAULT_CALENDARS)])];
    const seen = new Set<string>();
    settings.contracts.forEach((contract, i) => {
      if (seen.has(contract.id))
        ctx.addIssue({
          code: 'custom',
          path: ['contracts', i, 'id'],
          input: contract.id,
          message: `duplicate contract id ${JSON.stringify(contract.id)}`,
        });
      seen.add(contract.id);
      if (!calendars.includes(contract.session_calendar)) {
        ctx.addIssue({
          code: 'custom',
          path: ['contracts', i, 'session_calendar'],
          input: contract.session_calendar,
          message: `${expected(`a calendar under session_calendars (${calendars.join(', ')})`)({ input: contract.session_calendar })}${didYouMean(contract.session_calendar, calendars)}`,
        });
      }
    });
    const studyKeys = new Set<string>();
    settings.analyzer.smc.forEach((study, i) => {
      for (const tf of study.timeframes) {
        const key = `${study.study_id}|${study.contract_id}|${tf}`;
        if (studyKeys.has(key))
          ctx.addIssue({
            code: 'custom',
            path: ['analyzer', 'smc', i, 'study_id'],
            input: study.study_id,
            message: `duplicate SMC study ${JSON.stringify(study.study_id)} on ${study.contract_id} ${tf}`,
          });
        studyKeys.add(key);
      }
    });
    for (const label of Object.keys(settings.retention.bars)) {
      if (!timeframeText.safeParse(label).success)
        ctx.addIssue({
          code: 'custom',
          path: ['retention', 'bars', label],
          input: label,
          message: `expected a timeframe like 1m, 5m, 1h, 4h, 1d, 1w, 1mo as the key, got ${JSON.stringify(label)}`,
        });
    }
    const provider = settings.ingester.provider;
    settings.ingester.contracts.forEach((id, i) => {
      const known = settings.contracts.find((c) => c.id === id);
      const path = ['ingester', 'contracts', i];
      if (known) {
        if (known.provider !== provider && provider !== 'replay') {
          ctx.addIssue({
            code: 'custom',
            path,
            input: id,
            message: `contract ${JSON.stringify(id)} belongs to provider ${known.provider}, not ${provider} (ingester.provider)`,
          });
        }
      } else if (!isUnlistedVenueProduct(provider, id)) {
        const ids = settings.contracts.map((c) => c.id);
        ctx.addIssue({
          code: 'custom',
          path,
          input: id,
          message: `${expected('the id of a contract under contracts:')({ input: id })}${didYouMean(id, ids)}`,
        });
      }
    });
  });

export type Settings = z.infer<typeof settingsSchema>;
export type ContractSettings = z.infer<typeof contractSchema>;
export type AnalysisTarget = z.infer<typeof targetSchema>;
