// Strategies registered by id; the analyzer's targets name them in config.
import { ValidationError } from '../errors.ts';
import { emaCrossRsiStrategy, emaCrossStrategy } from './ema-cross-rsi.ts';
import type { StrategyDefinition } from './strategy.ts';
import { trendStartStrategy } from './trend-start-strategy.ts';

const STRATEGIES: ReadonlyMap<string, StrategyDefinition> = new Map(
  [trendStartStrategy, emaCrossRsiStrategy, emaCrossStrategy].map((s) => [s.id, s]),
);

export function strategyById(id: string): StrategyDefinition {
  const s = STRATEGIES.get(id);
  if (!s) throw new ValidationError('strategy', `unknown strategy '${id}' (known: ${[...STRATEGIES.keys()].join(', ')})`);
  return s;
}

export function strategyIds(): string[] {
  return [...STRATEGIES.keys()];
}
