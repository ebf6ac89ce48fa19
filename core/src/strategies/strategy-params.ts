// Each strategy's parameters as a zod schema: config validation and the strategy read the same one.
import { z } from 'zod';
import { expected } from '../config/config-messages.ts';
import { ValidationError } from '../errors.ts';
import type { Strategy, StrategyDefinition, StrategyParams } from './strategy.ts';

/** An integer parameter ≥ `min`, `fallback` when absent. */
export function intParam(fallback: number, min = 1): z.ZodDefault<z.ZodNumber> {
  const error = expected(`an integer ≥ ${min}`);
  return z.number({ error }).int({ error }).min(min, { error }).default(fallback);
}

/** A finite number parameter, `fallback` when absent. */
export function numberParam(fallback: number): z.ZodDefault<z.ZodNumber> {
  return z.number({ error: expected('a number') }).default(fallback);
}

/** true or false, `fallback` when absent. */
export function boolParam(fallback: boolean): z.ZodDefault<z.ZodBoolean> {
  return z.boolean({ error: expected('true or false') }).default(fallback);
}

/** A strategy taking no parameters (also assumed for definitions without a `params` schema). */
export const NO_PARAMS = z.strictObject({});

/** Parses `params` with the strategy's schema; the first problem is named (config validation reports all). */
export function parseStrategyParams<S extends z.ZodType>(strategyId: string, schema: S, params: StrategyParams): z.output<S> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = issue?.path.length ? `.${issue.path.map(String).join('.')}` : '';
  throw new ValidationError(`${strategyId} params${key}`, issue?.message ?? 'invalid');
}

/** A strategy definition whose `create` parses its parameters with `params` first. */
export function defineStrategy<S extends z.ZodType>(spec: {
  id: string;
  description: string;
  params: S;
  build: (params: z.output<S>) => Strategy;
}): StrategyDefinition {
  return {
    id: spec.id,
    description: spec.description,
    params: spec.params,
    create: (params) => spec.build(parseStrategyParams(spec.id, spec.params, params)),
  };
}
