// Reads typed strategy parameters from config, naming the parameter when one is wrong.
import { ValidationError } from '../errors.ts';
import type { StrategyParams } from './strategy.ts';

export function intParam(params: StrategyParams, name: string, fallback: number, min = 1): number {
  const v = params[name] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ValidationError(`params.${name}`, `must be an integer ≥ ${min}, got ${String(v)}`);
  return v;
}

export function numberParam(params: StrategyParams, name: string, fallback: number): number {
  const v = params[name] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError(`params.${name}`, `must be a number, got ${String(v)}`);
  return v;
}

export function boolParam(params: StrategyParams, name: string, fallback: boolean): boolean {
  const v = params[name] ?? fallback;
  if (typeof v !== 'boolean') throw new ValidationError(`params.${name}`, `must be true or false, got ${String(v)}`);
  return v;
}
