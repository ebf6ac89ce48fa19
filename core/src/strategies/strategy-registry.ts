// Strategies registered by id; the analyzer's targets name them in config.
import { ValidationError } from '../errors.ts';
import { emaCrossRsiStrategy, emaCrossStrategy } from './ema-cross-rsi.ts';
import type { StrategyDefinition } from './strategy.ts';
import { trendStartStrategy } from './trend-start-strategy.ts';

const STRATEGIES = new Map<string, StrategyDefinition>([trendStartStrategy, emaCrossRsiStrategy, emaCrossStrategy].map((s) => [s.id, s]));

export function strategyById(id: string): StrategyDefinition {
  const s = STRATEGIES.get(id);
  if (!s) throw new ValidationError('strategy', `unknown strategy '${id}' (known: ${[...STRATEGIES.keys()].join(', ')})`);
  return s;
}

/** The strategy of that id, if registered (config validation reports unknown ids itself). */
export function findStrategy(id: string): StrategyDefinition | undefined {
  return STRATEGIES.get(id);
}

export function strategyIds(): string[] {
  return [...STRATEGIES.keys()];
}

/** Adds a strategy module (plugins, tests, benchmarks); ids are unique. */
export function registerStrategy(definition: StrategyDefinition): void {
  if (STRATEGIES.has(definition.id)) throw new ValidationError('strategy', `strategy '${definition.id}' is already registered`);
  STRATEGIES.set(definition.id, definition);
}
