// Operands of rule conditions: a number, a bar field (close, volume, …) or an indicator of the registry,
// with a component for the multi-line ones (`macd_12_26_9.histogram`, `bb_20_2.upper`).
import { z } from 'zod';
import type { OhlcBar } from '../bar.ts';
import { describeValue } from '../config/config-messages.ts';
import type { IndicatorValue } from '../indicators/indicator.ts';
import { IndicatorError } from '../indicators/indicator-error.ts';
import { getIndicatorDefinition } from '../indicators/registry.ts';

export const BAR_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;
export type BarField = (typeof BAR_FIELDS)[number];

const COMPONENTS: Readonly<Record<string, readonly string[]>> = {
  macd: ['macd', 'signal', 'histogram'],
  bb: ['middle', 'upper', 'lower'],
};

/** A resolved operand: what to read on each closed bar. */
export type Operand =
  | { readonly kind: 'number'; readonly value: number; readonly text: string }
  | { readonly kind: 'bar'; readonly field: BarField; readonly text: string }
  | { readonly kind: 'indicator'; readonly indicator: string; readonly component: string | undefined; readonly text: string };

/** Parses an operand's text; returns an error message instead of throwing, for the schema. */
export function resolveOperand(input: number | string): Operand | string {
  if (typeof input === 'number') return { kind: 'number', value: input, text: String(input) };
  if ((BAR_FIELDS as readonly string[]).includes(input)) return { kind: 'bar', field: input as BarField, text: input };
  const [name = '', component, ...rest] = input.split('.');
  if (rest.length > 0) return `expected <indicator>[.<component>], got ${describeValue(input)}`;
  let kind: string;
  try {
    kind = getIndicatorDefinition(name).kind;
  } catch (err) {
    if (!(err instanceof IndicatorError)) throw err;
    return `expected a number, one of ${BAR_FIELDS.join(', ')}, or an indicator like rsi_14, ema_200, macd_12_26_9.histogram, bb_20_2.upper (${err.message})`;
  }
  const components = COMPONENTS[kind];
  if (components === undefined) {
    if (component !== undefined) return `${name} has one value; remove ".${component}"`;
    return { kind: 'indicator', indicator: name, component: undefined, text: input };
  }
  if (component === undefined || !components.includes(component)) {
    return `${name} has several values; name one: ${components.map((c) => `${name}.${c}`).join(', ')}`;
  }
  return { kind: 'indicator', indicator: name, component, text: input };
}

/** The zod form: a number or a string resolved by resolveOperand, with its error at the operand's key. */
export const operandSchema = z.union([z.number(), z.string()]).transform((input, ctx): Operand => {
  const resolved = resolveOperand(input);
  if (typeof resolved === 'string') {
    ctx.addIssue({ code: 'custom', message: resolved, input });
    return z.NEVER;
  }
  return resolved;
});

/** The indicator an operand needs computed on its series, if any. */
export function operandIndicator(op: Operand): string | undefined {
  return op.kind === 'indicator' ? op.indicator : undefined;
}

/** Reads an operand on a closed bar; undefined while its indicator warms up. */
export function readOperand(op: Operand, bar: OhlcBar, indicators: ReadonlyMap<string, IndicatorValue | undefined>): number | undefined {
  switch (op.kind) {
    case 'number':
      return op.value;
    case 'bar':
      return bar[op.field];
    case 'indicator': {
      const value = indicators.get(op.indicator);
      if (value === undefined) return undefined;
      if (typeof value === 'number') return value;
      // resolveOperand checked the component against this kind's value names (COMPONENTS), so it is a key of `value`.
      return (value as unknown as Readonly<Record<string, number>>)[op.component!];
    }
  }
}
