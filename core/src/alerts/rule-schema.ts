// The alert rule schema: one entry of config/rules/*.yaml (or of the rules table's config_yaml), per rule_type.
import { z } from 'zod';
import { expected } from '../config/config-messages.ts';
import { getIndicatorDefinition } from '../indicators/registry.ts';
import { fixedLengthMs, formatTimeframe, parseTimeframe } from '../timeframe.ts';
import { conditionSchema } from './rule-condition.ts';
import { cooldownSchema, durationSchema } from './rule-durations.ts';
import { operandSchema } from './rule-operand.ts';
import { dispatchOn } from './schema-dispatch.ts';
import { timeWindowSchema } from './time-window.ts';

export const RULE_TYPES = ['signal', 'price_cross', 'indicator', 'confluence', 'volume_spike'] as const;
export type RuleType = (typeof RULE_TYPES)[number];
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Longest look-back in bars a rule may ask for (confluence windows); bounds the per-series history. */
export const MAX_WITHIN_BARS = 1_000;

const NAME_RE = /^[a-z0-9][a-z0-9_.-]{0,79}$/;

/** A timeframe as written in settings ('5m'), kept in its one canonical form. */
const timeframeSchema = z.string().transform((text, ctx) => {
  try {
    return formatTimeframe(parseTimeframe(text));
  } catch {
    ctx.addIssue({ code: 'custom', input: text, message: expected('a timeframe like 1m, 5m, 1h, 4h, 1d')({ input: text }) });
    return z.NEVER;
  }
});

const intradayTimeframeSchema = timeframeSchema.refine((tf) => fixedLengthMs(parseTimeframe(tf)) !== undefined, {
  error: (issue) => expected('an intraday timeframe (seconds, minutes or hours)')(issue),
});

const atrName = z.string().refine(
  (name) => {
    try {
      return getIndicatorDefinition(name).kind === 'atr';
    } catch {
      return false;
    }
  },
  { error: expected('an ATR indicator like atr_14') },
);

/** Where stop loss and target come from: ATR multiples (default) or fixed distances in price points. */
const riskSchema = z
  .strictObject({
    atr: atrName.default('atr_14'),
    stop_atr: z.number().positive().optional(),
    target_atr: z.number().positive().optional(),
    stop_points: z.number().positive().optional(),
    target_points: z.number().positive().optional(),
  })
  .transform((r, ctx): RiskSpec => {
    if (r.stop_points !== undefined && r.target_points !== undefined && r.stop_atr === undefined && r.target_atr === undefined) {
      return { stop_points: r.stop_points, target_points: r.target_points };
    }
    if (r.stop_atr !== undefined && r.target_atr !== undefined && r.stop_points === undefined && r.target_points === undefined) {
      return { atr: r.atr, stop_atr: r.stop_atr, target_atr: r.target_atr };
    }
    ctx.addIssue({
      code: 'custom',
      input: r,
      message: 'expected either stop_atr and target_atr (with atr, default atr_14) or stop_points and target_points',
    });
    return z.NEVER;
  });
export type RiskSpec =
  | { readonly atr: string; readonly stop_atr: number; readonly target_atr: number }
  | { readonly stop_points: number; readonly target_points: number };
export const DEFAULT_RISK: RiskSpec = { atr: 'atr_14', stop_atr: 1.5, target_atr: 3 };

const common = {
  name: z.string().regex(NAME_RE, { error: expected('a name of lower-case letters, digits, _ . - (at most 80)') }),
  description: z.string().default(''),
  contracts: z.union([z.literal('watchlist'), z.array(z.string().min(1)).min(1)]),
  timeframes: z.array(timeframeSchema).min(1),
  severity: z.enum(SEVERITIES).default('info'),
  /** Higher first: alerts of one event are returned in priority order, then by rule name. */
  priority: z.number().int().min(0).max(1000).default(0),
  is_active: z.boolean().default(true),
  cooldown: cooldownSchema.optional(),
  dedupe_window: durationSchema.optional(),
  window: timeWindowSchema.optional(),
  risk: riskSchema.default(DEFAULT_RISK),
};

const directionSchema = z.enum(['long', 'short', 'none']).default('none');

export const signalRuleSchema = z.strictObject({
  ...common,
  rule_type: z.literal('signal'),
  /** detected_signals.analyzer_id (a configured analysis target's id, e.g. cus_cds_trend_finder). */
  analyzer_id: z.string().min(1),
  /** Signal types that fire (absent: every type the analyzer stores). */
  signal_types: z.array(z.string().min(1)).min(1).optional(),
});

export const priceCrossRuleSchema = z.strictObject({
  ...common,
  rule_type: z.literal('price_cross'),
  /** A fixed price, or a moving level: an indicator of the registry (ema_200, bb_20_2.middle). */
  level: operandSchema,
  direction: z.enum(['up', 'down', 'any']).default('any'),
});

export const indicatorRuleSchema = z.strictObject({
  ...common,
  rule_type: z.literal('indicator'),
  condition: conditionSchema,
  /** on_enter: the bar the condition turns true (after a ready bar where it was false); every_bar: each bar it holds. */
  fire: z.enum(['on_enter', 'every_bar']).default('on_enter'),
  /** The trade side the setup suggests, for stop loss and target (none: no levels). */
  direction: directionSchema,
});

const trendLeg = {
  analyzer_id: z.string().min(1),
  up_types: z.array(z.string().min(1)).min(1).default(['uptrend_start']),
  down_types: z.array(z.string().min(1)).min(1).default(['downtrend_start']),
  within_bars: z.number().int().min(0).max(MAX_WITHIN_BARS),
};

export const confluenceRuleSchema = z.strictObject({
  ...common,
  rule_type: z.literal('confluence'),
  timeframes: z.array(intradayTimeframeSchema).min(1),
  /** The trend in force on the higher timeframe: its most recent trend signal, within N of its bars. */
  higher: z.strictObject({ timeframe: intradayTimeframeSchema, ...trendLeg }),
  /** The trend start on the rule's timeframe that fires the rule: about a bar at most N bars back. */
  trigger: z.strictObject(trendLeg),
});

export const volumeSpikeRuleSchema = z.strictObject({
  ...common,
  rule_type: z.literal('volume_spike'),
  /** Fires when volume > multiple × SMA(volume, period) of the bars before it. */
  multiple: z.number().positive(),
  period: z.number().int().min(2).max(10_000).default(20),
  direction: directionSchema,
});

const BRANCHES = {
  signal: signalRuleSchema,
  price_cross: priceCrossRuleSchema,
  indicator: indicatorRuleSchema,
  confluence: confluenceRuleSchema,
  volume_spike: volumeSpikeRuleSchema,
} as const;

export type SignalRule = z.output<typeof signalRuleSchema>;
export type PriceCrossRule = z.output<typeof priceCrossRuleSchema>;
export type IndicatorRule = z.output<typeof indicatorRuleSchema>;
export type ConfluenceRule = z.output<typeof confluenceRuleSchema>;
export type VolumeSpikeRule = z.output<typeof volumeSpikeRuleSchema>;
/** One validated rule. */
export type AlertRule = SignalRule | PriceCrossRule | IndicatorRule | ConfluenceRule | VolumeSpikeRule;

/** One rule, its type picked by rule_type so errors point inside that type's fields. */
export const alertRuleSchema: z.ZodType<AlertRule> = dispatchOn<AlertRule>(
  'a rule (a mapping with name, rule_type, contracts, timeframes, …)',
  BRANCHES,
  (input) => ({ tag: input.rule_type, path: ['rule_type'] }),
);
