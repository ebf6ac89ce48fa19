// Request bodies of the run writes: create a paper run, create a backtest, send a run a command.
import { engineCommandSchema } from '@barstream/core/trading';
import { z } from 'zod';
import { contractIdSchema, instantSchema } from './query-fields.ts';
import { MAX_YAML_CHARS } from './strategy-schemas.ts';

const timeframeText = z
  .string({ error: 'must be a timeframe like 5m' })
  .regex(/^\d+(s|m|h|d|w|mo)$/, 'must be a timeframe like 5m, 1h, 1d')
  .describe("Overrides the config's timeframe.");

/** Which config a run executes: a stored strategy, or YAML given inline (exactly one). */
const sourceFields = {
  strategy_id: z.string().max(100, 'must be at most 100 characters').optional().describe('A stored strategy (GET /api/strategies).'),
  config_yaml: z.string().max(MAX_YAML_CHARS, `must be at most ${MAX_YAML_CHARS} characters`).optional().describe('A run config as YAML.'),
  contract: contractIdSchema.optional().describe("Overrides the config's contract."),
  timeframe: timeframeText.optional(),
};

function oneSource(body: { strategy_id?: string | undefined; config_yaml?: string | undefined }, ctx: z.RefinementCtx): void {
  if ((body.strategy_id === undefined) === (body.config_yaml === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['strategy_id'], message: 'give exactly one of strategy_id and config_yaml' });
  }
}

export const runBodySchema = z.object(sourceFields).superRefine(oneSource);
export type RunBody = z.output<typeof runBodySchema>;

const instantBody = z
  .union([z.string(), z.number().int().transform(String)], { error: 'is required: ISO-8601 or epoch milliseconds' })
  .pipe(instantSchema);

export const backtestBodySchema = z
  .object({ ...sourceFields, from: instantBody, to: instantBody })
  .superRefine(oneSource)
  .superRefine((body, ctx) => {
    if (body.from.getTime() >= body.to.getTime()) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  });
export type BacktestBody = z.output<typeof backtestBodySchema>;

/** POST /api/runs/{id}/commands: a manual order, a cancel or a replace (emergency stop has its own route). */
export const commandBodySchema = engineCommandSchema;
export type CommandBody = z.output<typeof commandBodySchema>;

export const emergencyStopBodySchema = z.object({
  reason: z.string().max(500, 'must be at most 500 characters').optional(),
  flatten: z.boolean().optional().describe("Close the position (default: the run's risk.flatten_on_halt)."),
});
export type EmergencyStopBody = z.output<typeof emergencyStopBodySchema>;
