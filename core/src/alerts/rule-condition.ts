// The structured condition of an indicator rule (no expressions, no eval): comparisons, sign changes and
// Bollinger breaks, combinable with all/any.
import { z } from 'zod';
import type { OhlcBar } from '../bar.ts';
import { expected } from '../config/config-messages.ts';
import type { BollingerValue, IndicatorValue } from '../indicators/indicator.ts';
import { getIndicatorDefinition } from '../indicators/registry.ts';
import { dispatchOn, soleKey } from './schema-dispatch.ts';
import { operandIndicator, operandSchema, readOperand, type Operand } from './rule-operand.ts';

export const COMPARISON_OPS = ['<', '<=', '>', '>='] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

const bollingerName = z.string().refine(
  (name) => {
    try {
      return getIndicatorDefinition(name).kind === 'bb';
    } catch {
      return false;
    }
  },
  { error: expected('a Bollinger indicator like bb_20_2') },
);

export const compareSchema = z.strictObject({
  compare: z.strictObject({ left: operandSchema, op: z.enum(COMPARISON_OPS), right: operandSchema }),
});
export const signChangeSchema = z.strictObject({
  sign_change: z.strictObject({ of: operandSchema, direction: z.enum(['up', 'down', 'any']).default('any') }),
});
export const bandBreakSchema = z.strictObject({
  band_break: z.strictObject({ bands: bollingerName, side: z.enum(['upper', 'lower', 'any']).default('any') }),
});

export type Condition =
  | z.output<typeof compareSchema>
  | z.output<typeof signChangeSchema>
  | z.output<typeof bandBreakSchema>
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] };

/** Picks the branch by its one key, so errors point inside it rather than listing every alternative. */
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  dispatchOn<Condition>(
    'a condition with one key: compare, sign_change, band_break, all or any',
    {
      compare: compareSchema,
      sign_change: signChangeSchema,
      band_break: bandBreakSchema,
      all: z.strictObject({ all: z.array(conditionSchema).min(1) }),
      any: z.strictObject({ any: z.array(conditionSchema).min(1) }),
    },
    soleKey,
  ),
);

/** Indicators a condition reads (to be computed on its series). */
export function conditionIndicators(c: Condition): string[] {
  if ('compare' in c) return [operandIndicator(c.compare.left), operandIndicator(c.compare.right)].filter((n) => n !== undefined);
  if ('sign_change' in c) return [operandIndicator(c.sign_change.of)].filter((n) => n !== undefined);
  if ('band_break' in c) return [c.band_break.bands];
  return ('all' in c ? c.all : c.any).flatMap(conditionIndicators);
}

/** The values that triggered a rule, by operand text (JSON-able). */
export type TriggerValues = Record<string, number>;

/**
 * Per-series evaluation state of one condition: the last non-zero sign of each sign_change operand.
 * One instance per (rule, series).
 */
export class ConditionState {
  private readonly lastSigns = new Map<Operand, number>();

  /**
   * Evaluates on a closed bar: true/false, or undefined while a value it reads is warming up. Sign
   * changes update their state on every ready bar. Reads nothing into an object (the hot path);
   * conditionValues gives the values when it fires.
   */
  evaluate(c: Condition, bar: OhlcBar, indicators: ReadonlyMap<string, IndicatorValue | undefined>): boolean | undefined {
    if ('compare' in c) {
      const { left, op, right } = c.compare;
      const l = readOperand(left, bar, indicators);
      const r = readOperand(right, bar, indicators);
      if (l === undefined || r === undefined) return undefined;
      return op === '<' ? l < r : op === '<=' ? l <= r : op === '>' ? l > r : l >= r;
    }
    if ('sign_change' in c) {
      const { of, direction } = c.sign_change;
      const v = readOperand(of, bar, indicators);
      if (v === undefined) return undefined;
      const sign = Math.sign(v);
      const last = this.lastSigns.get(of);
      if (sign === 0) return false; // touching zero is not a change; the last non-zero sign is kept
      this.lastSigns.set(of, sign);
      if (last === undefined || last === sign) return false;
      return direction === 'any' || (direction === 'up') === sign > 0;
    }
    if ('band_break' in c) {
      const { bands, side } = c.band_break;
      const b = indicators.get(bands) as BollingerValue | undefined;
      if (b === undefined) return undefined;
      const above = bar.close > b.upper;
      const below = bar.close < b.lower;
      return side === 'upper' ? above : side === 'lower' ? below : above || below;
    }
    // Every part is evaluated (no short circuit) so each sign_change keeps its state current.
    const all = 'all' in c;
    const parts = all ? c.all : c.any;
    let warming = false;
    let result = all;
    for (const part of parts) {
      const r = this.evaluate(part, bar, indicators);
      if (r === undefined) warming = true;
      else if (all) result &&= r;
      else result ||= r;
    }
    return warming ? undefined : result;
  }
}

/** The values a condition reads on a bar, by operand text (what an alert reports as its trigger). */
export function conditionValues(
  c: Condition,
  bar: OhlcBar,
  indicators: ReadonlyMap<string, IndicatorValue | undefined>,
  out: TriggerValues = {},
): TriggerValues {
  if ('compare' in c) {
    putOperand(c.compare.left, bar, indicators, out);
    putOperand(c.compare.right, bar, indicators, out);
  } else if ('sign_change' in c) {
    putOperand(c.sign_change.of, bar, indicators, out);
  } else if ('band_break' in c) {
    const b = indicators.get(c.band_break.bands) as BollingerValue | undefined;
    out.close = bar.close;
    if (b !== undefined) {
      out[`${c.band_break.bands}.upper`] = b.upper;
      out[`${c.band_break.bands}.lower`] = b.lower;
    }
  } else {
    for (const part of 'all' in c ? c.all : c.any) conditionValues(part, bar, indicators, out);
  }
  return out;
}

function putOperand(op: Operand, bar: OhlcBar, indicators: ReadonlyMap<string, IndicatorValue | undefined>, out: TriggerValues): void {
  const v = readOperand(op, bar, indicators);
  if (v !== undefined) out[op.text] = v;
}
