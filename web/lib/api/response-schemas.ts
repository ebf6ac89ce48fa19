// Wire shapes of the /api/* responses: built by the route handlers, parsed by the browser, and
// rendered into /api/openapi.json.
import { z } from 'zod';

const isoTime = z.string().describe('ISO-8601 UTC time.');

export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z
        .string()
        .describe(
          'invalid_input | not_found | conflict | method_not_allowed | unauthorized | forbidden | rate_limited | database_unavailable | internal',
        ),
      message: z.string(),
      field: z
        .string()
        .optional()
        .describe('The query parameter at fault (invalid_input only); unknown parameters: their names, comma-separated.'),
      available: z.array(z.string()).optional().describe('not_found of a configured choice (timeframe, analyzer): the configured ones.'),
    }),
  })
  .meta({ title: 'ApiError' });
export type ApiError = z.infer<typeof apiErrorSchema>;

export const wireBarSchema = z
  .object({
    timestamp: isoTime.describe('Bar open time (daily bars: the trade date at 00:00 UTC).'),
    open: z.number(),
    high: z.number(),
    low: z.number(),
    close: z.number(),
    volume: z.number(),
    is_closed: z.boolean().describe('false while the bar is still forming.'),
  })
  .meta({ title: 'Bar' });
export type WireBar = z.infer<typeof wireBarSchema>;

export const ohlcResponseSchema = z.object({
  contract_id: z.string(),
  timeframe: z.string(),
  bars: z.array(wireBarSchema).describe('Oldest first.'),
});
export type OhlcResponse = z.infer<typeof ohlcResponseSchema>;

export const wireSignalSchema = z
  .object({
    signal_id: z.number().int(),
    analyzer_id: z.string(),
    timestamp: isoTime.describe('Open time of the bar the signal is about.'),
    trigger_timestamp: isoTime.describe('When the analyzer stored the signal.'),
    signal_type: z.string().describe('e.g. uptrend_start, downtrend_start, buy, sell.'),
    signal_price: z.number().nullable(),
    details: z.record(z.string(), z.unknown()).describe('Strategy-specific: rule, trigger_time, bar_index, confidence …'),
  })
  .meta({ title: 'Signal' });
export type WireSignal = z.infer<typeof wireSignalSchema>;

export const trendStartsResponseSchema = z.object({
  contract_id: z.string(),
  timeframe: z.string(),
  analyzer_id: z.string(),
  signals: z.array(wireSignalSchema).describe('Oldest first.'),
});
export type TrendStartsResponse = z.infer<typeof trendStartsResponseSchema>;

export const signalsResponseSchema = z.object({
  contract_id: z.string(),
  timeframe: z.string(),
  analyzer_id: z.string().nullable().describe('The analyzer asked for; null: every analyzer.'),
  signals: z.array(wireSignalSchema).describe('Oldest first.'),
});
export type SignalsResponse = z.infer<typeof signalsResponseSchema>;

const indicatorValueSchema = z.union([
  z.number(),
  z.object({ macd: z.number(), signal: z.number(), histogram: z.number() }),
  z.object({ middle: z.number(), upper: z.number(), lower: z.number() }),
]);

export const indicatorSeriesSchema = z.object({
  name: z.string().describe('Canonical indicator name, e.g. ema_20.'),
  warmup_bars: z.number().int().describe('Bars the indicator needs before its first value.'),
  points: z
    .array(
      z.object({
        timestamp: isoTime,
        value: indicatorValueSchema.nullable().describe('null while the indicator is still warming up.'),
      }),
    )
    .describe('One point per bar, oldest first, for the same bars /api/ohlc returns for this range.'),
});
export type IndicatorSeries = z.infer<typeof indicatorSeriesSchema>;

export const indicatorsResponseSchema = z.object({
  contract_id: z.string(),
  timeframe: z.string(),
  indicators: z.array(indicatorSeriesSchema),
});
export type IndicatorsResponse = z.infer<typeof indicatorsResponseSchema>;

export const wireContractSchema = z
  .object({
    id: z.string(),
    provider: z.string(),
    symbol: z.string(),
    name: z.string(),
    description: z.string(),
    tick_size: z.number(),
    session_calendar: z.string(),
    timezone: z
      .string()
      .nullable()
      .describe("The session calendar's IANA timezone (the exchange's); null if the calendar is not configured."),
    session_open: z.string().nullable().describe('Local wall time the session opens, HH:MM.'),
  })
  .meta({ title: 'Contract' });
export type WireContract = z.infer<typeof wireContractSchema>;

export const contractsResponseSchema = z.object({
  contracts: z.array(wireContractSchema),
  timeframes: z.array(z.string()).describe('The timeframes the ingester builds, as configured.'),
});
export type ContractsResponse = z.infer<typeof contractsResponseSchema>;

export const healthResponseSchema = z.object({
  ok: z.boolean().describe('false (with status 503) when the database does not answer.'),
  database: z.boolean(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
