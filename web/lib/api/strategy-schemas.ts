// Wire shapes of /api/strategies: a stored strategy (its YAML as written) and the create/replace body.
import { z } from 'zod';

export const STRATEGY_ID_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

export const wireStrategySchema = z
  .object({
    strategy_id: z.string().describe("The YAML's `id`."),
    description: z.string(),
    source: z.enum(['file', 'api']).describe("'file': config/strategies/*.yaml, read-only here; 'api': editable."),
    kind: z.enum(['backtest', 'paper']),
    contract_id: z.string(),
    timeframe: z.string(),
    config_yaml: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ title: 'Strategy' });
export type WireStrategy = z.infer<typeof wireStrategySchema>;

export const strategiesResponseSchema = z.object({ strategies: z.array(wireStrategySchema) });
export const strategyResponseSchema = z.object({ strategy: wireStrategySchema });
export const strategyDeletedResponseSchema = z.object({ deleted: z.string().describe('The strategy_id removed.') });

/** Largest strategy YAML: a run config is a page of text. */
export const MAX_YAML_CHARS = 100_000;

export const strategyBodySchema = z.object({
  config_yaml: z
    .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be the YAML text') })
    .min(1, 'is empty')
    .max(MAX_YAML_CHARS, `must be at most ${MAX_YAML_CHARS} characters`)
    .describe('The strategy run config as YAML (docs/TRADING.md); its `id` is the strategy_id.'),
  description: z.string().max(1000, 'must be at most 1000 characters').default(''),
});
export type StrategyBody = z.output<typeof strategyBodySchema>;
