// Running the engine over a list of inputs: a backtest in one call, and the rebuild of a run's state
// after a restart by replaying the inputs it had already processed (its outputs are already stored).
import type { EngineEvent, EngineInput } from './engine-events.ts';
import type { StrategyRunConfig } from './run-config-schema.ts';
import { type EngineOptions, TradingEngine } from './trading-engine.ts';

export type RunOptions = Omit<EngineOptions, 'emit'>;

/** Feeds `inputs` to a new engine and returns it with every output record, in order. */
export function runEngine(
  config: StrategyRunConfig,
  options: RunOptions,
  inputs: Iterable<EngineInput>,
): { engine: TradingEngine; events: EngineEvent[] } {
  const events: EngineEvent[] = [];
  const engine = new TradingEngine(config, { ...options, emit: (e) => events.push(e) });
  for (const input of inputs) engine.apply(input);
  return { engine, events };
}

/**
 * Rebuilds a run after a restart: replays the inputs it processed before (their outputs are discarded:
 * they are stored already) and returns an engine whose `emit` sends only what later inputs produce.
 * Replaying is the state's single source: no snapshot format to keep in step with the engine.
 */
export function resumeEngine(config: StrategyRunConfig, options: EngineOptions, processed: Iterable<EngineInput>): TradingEngine {
  let replaying = true;
  const engine = new TradingEngine(config, {
    ...options,
    emit: (e) => {
      if (!replaying) options.emit(e);
    },
  });
  for (const input of processed) engine.apply(input);
  replaying = false;
  return engine;
}
