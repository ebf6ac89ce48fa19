// Strategy-run config: the zod schema of one run (signals → actions, instrument, sizing, exits, fees,
// slippage, participation, risk, capital) as written in config/strategies/*.yaml, and its parser.
import { z } from 'zod';
import { TradingError } from './trading-error.ts';

const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
const percent = z.number().positive().max(100);

/** What a signal type does to the run's position. `reverse` flips a non-flat position; flat, it is ignored. */
export const signalActionSchema = z.enum(['entry_long', 'entry_short', 'exit', 'reverse']);
export type SignalAction = z.infer<typeof signalActionSchema>;

export const signalsSchema = z.strictObject({
  /** The analyzer (strategy target) whose detected_signals drive the run. */
  analyzer_id: z.string().min(1),
  /** The strategy that produces them (e.g. trend_start, ema_cross_rsi): lets a backtest compute missing signals. */
  strategy: z.string().min(1).optional(),
  /** signal_type → action, e.g. { uptrend_start: entry_long, downtrend_start: entry_short }. */
  map: z.record(z.string().min(1), signalActionSchema).refine((m) => Object.keys(m).length > 0, 'map at least one signal type'),
});

export const futureSpecSchema = z.strictObject({
  kind: z.literal('future'),
  tick_size: positive,
  /** Money per tick per contract (MES: 1.25). */
  tick_value: positive,
  /** Initial margin per contract, in the currency. */
  initial_margin: nonNegative.default(0),
});

export const cryptoSpecSchema = z.strictObject({
  kind: z.literal('crypto'),
  tick_size: positive,
  /** Smallest quantity increment (fractional quantities in multiples of it). */
  qty_step: positive,
  /** Margin used = notional / leverage; 1 = fully paid spot. */
  leverage: positive.default(1),
});

export const instrumentSchema = z.discriminatedUnion('kind', [futureSpecSchema, cryptoSpecSchema]);
export type InstrumentSpec = z.infer<typeof instrumentSchema>;

export const fillModelSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('bar') }),
  z.strictObject({
    type: z.literal('tick'),
    /** Simulated acknowledgement latency, uniform in [min_ms, max_ms] from a PRNG seeded with `seed`. */
    latency_min_ms: z.number().int().nonnegative().default(50),
    latency_max_ms: z.number().int().nonnegative().default(100),
    seed: z.number().int().default(1),
  }),
]);

export const sizingSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('fixed'), qty: positive }),
  z.strictObject({ type: z.literal('percent_of_equity'), percent }),
  /** Risk `percent` of equity between the entry reference price and the stop (needs exits.stop_loss). */
  z.strictObject({ type: z.literal('risk'), percent }),
]);

/** A distance from the entry price: whole ticks, a percent of the price, or a multiple of ATR(period). */
export const distanceSchema = z.union([
  z.strictObject({ ticks: z.number().int().positive() }),
  z.strictObject({ percent: positive }),
  z.strictObject({ atr: positive, atr_period: z.number().int().positive().default(14) }),
]);
export type Distance = z.infer<typeof distanceSchema>;

export const takeProfitLegSchema = distanceSchema.and(z.object({ fraction: z.number().positive().max(1).default(1) }));

export const exitsSchema = z.strictObject({
  stop_loss: distanceSchema.optional(),
  /** One target, or a ladder: each leg closes `fraction` of the entry quantity (the last leg takes the rest). */
  take_profit: z
    .array(takeProfitLegSchema)
    .default([])
    .refine((legs) => legs.reduce((s, l) => s + l.fraction, 0) <= 1 + 1e-9, 'the fractions add up to more than 1'),
  /** Close with a market order after this many closed bars in the position. */
  time_stop_bars: z.number().int().positive().optional(),
  /** An entry signal against the position: ignore it, exit, or exit and enter the other way. */
  on_opposite_signal: z.enum(['ignore', 'exit', 'reverse']).default('exit'),
});

export const feesSchema = z.union([
  z.strictObject({ per_contract: nonNegative }),
  z.strictObject({ bps: nonNegative.refine((b) => Math.abs(Math.round(b * 100) - b * 100) < 1e-9, 'in steps of 0.01 bps') }),
]);

export const slippageSchema = z.union([z.strictObject({ ticks: z.number().int().nonnegative() }), z.strictObject({ bps: nonNegative })]);

export const riskSchema = z.strictObject({
  /** Largest absolute net position, in contracts / coins. */
  max_position: positive.optional(),
  max_open_orders: z.number().int().positive().optional(),
  /** Money lost since the session's start (equity at the previous session's last bar). */
  max_daily_loss: positive.optional(),
  /** Money below the equity peak. */
  max_drawdown: positive.optional(),
  /** Percent below the equity peak. */
  max_drawdown_pct: percent.optional(),
  flatten_on_halt: z.boolean().default(true),
});

const runCommon = {
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, _ and -'),
  contract: z.string().min(1),
  timeframe: z.string().regex(/^\d+(s|m|h|d|w|mo)$/, 'a timeframe like 5m, 1h, 1d'),
  signals: signalsSchema,
  instrument: instrumentSchema,
  fill_model: fillModelSchema.default({ type: 'bar' }),
  sizing: sizingSchema,
  exits: exitsSchema.default({ take_profit: [], on_opposite_signal: 'exit' }),
  fees: feesSchema.optional(),
  slippage: slippageSchema.default({ ticks: 0 }),
  /** At most this percent of each bar's volume fills; the rest stays working (partial fills). */
  participation: z.strictObject({ max_pct_of_volume: percent }).optional(),
  risk: riskSchema.default({ flatten_on_halt: true }),
  starting_capital: positive,
  /** Time in force of the orders signals place: gtc, or day (expire at the session's end). */
  order_tif: z.enum(['gtc', 'day']).default('gtc'),
};

const isoInstant = z.iso.datetime({ offset: true });

export const strategyRunConfigSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('backtest'), from: isoInstant, to: isoInstant, ...runCommon }),
    z.strictObject({ kind: z.literal('paper'), ...runCommon }),
  ])
  .superRefine((run, ctx) => {
    if (run.kind === 'backtest' && Date.parse(run.from) >= Date.parse(run.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `must be after from (${run.from})` });
    }
    if (run.sizing.type === 'risk' && !run.exits.stop_loss) {
      ctx.addIssue({ code: 'custom', path: ['exits', 'stop_loss'], message: 'required by sizing.type risk' });
    }
    if (run.fill_model.type === 'tick' && run.fill_model.latency_min_ms > run.fill_model.latency_max_ms) {
      ctx.addIssue({ code: 'custom', path: ['fill_model', 'latency_max_ms'], message: 'must be at least latency_min_ms' });
    }
    if (run.instrument.kind === 'future' && run.sizing.type === 'fixed' && !Number.isInteger(run.sizing.qty)) {
      ctx.addIssue({ code: 'custom', path: ['sizing', 'qty'], message: 'futures trade whole contracts' });
    }
    if (run.fees && 'per_contract' in run.fees && run.instrument.kind !== 'future') {
      ctx.addIssue({ code: 'custom', path: ['fees', 'per_contract'], message: 'per-contract fees apply to futures; use bps' });
    }
  });

export type StrategyRunConfigInput = z.input<typeof strategyRunConfigSchema>;
export type StrategyRunConfig = z.output<typeof strategyRunConfigSchema>;

/** Crypto default: 10 bps of notional per side; futures: no fee unless configured. */
export const DEFAULT_CRYPTO_FEE_BPS = 10;

/**
 * Parses a run config (a parsed YAML document or API body). Throws a TradingError 'invalid_run_config'
 * whose message has one line per problem, `<key path>: <what is wrong>`, prefixed by `source` when given.
 */
export function parseStrategyRunConfig(input: unknown, source = 'strategy run'): StrategyRunConfig {
  const result = strategyRunConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `${source}: ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
  throw new TradingError('invalid_run_config', lines.join('\n'));
}
