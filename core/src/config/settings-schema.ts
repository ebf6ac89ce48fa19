// The one schema of config/settings.yaml (plus env overrides); defaults live here beside it.
import { z } from 'zod';
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

const PROVIDERS = ['simulated', 'replay', 'projectx', 'binance'] as const;

/** Calendars every configuration has, unless it defines its own of the same name. */
export const DEFAULT_CALENDARS: Readonly<Record<string, { timezone: string; session_open: string }>> = {
  utc: { timezone: 'UTC', session_open: '00:00' },
  cme_globex: { timezone: 'America/Chicago', session_open: '17:00' },
};

/** A Binance symbol the ingester may run without a contracts: entry (UTC calendar, 0.01 tick). */
export const UNLISTED_BINANCE_SYMBOL = /^[A-Z0-9]{5,20}$/;

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
});

const calendarSchema = z.strictObject({
  timezone: timeZone,
  session_open: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: expected('a time HH:MM (00:00–23:59)') }),
});

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
    broadcaster: z
      .strictObject({
        host: z.string().default('127.0.0.1'),
        port: port.default(8765),
        metrics_port: port.default(9103),
        token: z.string().min(1).optional(),
        allowed_origins: z.array(z.string()).default([]),
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
        replay: z
          .strictObject({
            file: z.string().optional(),
            /** Stream time per wall time; .inf in YAML (or REPLAY_SPEED=Infinity) replays as fast as possible. */
            speed: z.union([z.number().positive(), z.literal(Infinity)]).default(60),
          })
          .prefault({}),
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
      } else if (!(provider === 'binance' && UNLISTED_BINANCE_SYMBOL.test(id))) {
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
