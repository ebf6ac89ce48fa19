// Wire shapes of /api/rules*: a stored rule, the list, the create/replace body and the toggle body.
import { MAX_RULE_YAML_CHARS, RULE_TYPES } from '@barstream/core';
import { z } from 'zod';

export const wireRuleSchema = z
  .object({
    rule_id: z.number().int(),
    name: z.string(),
    description: z.string(),
    rule_type: z.enum(RULE_TYPES),
    config_yaml: z.string().describe('The rule as YAML (name, description, priority and is_active written in from their columns).'),
    source: z.enum(['file', 'api']).describe('file: loaded from config/rules (read-only here); api: created through this API.'),
    is_active: z.boolean(),
    priority: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ title: 'Rule' });
export type WireRule = z.infer<typeof wireRuleSchema>;

export const rulesResponseSchema = z.object({ rules: z.array(wireRuleSchema).describe('Highest priority first, then by name.') });

/** POST /api/rules and PUT /api/rules/{id}: the rule's columns and its YAML (validated by core's rule schema). */
export const ruleBodySchema = z.strictObject({
  name: z.string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a string') }),
  description: z.string().max(1_000, 'must be at most 1000 characters').default(''),
  priority: z
    .number({ error: 'must be a whole number from 0 to 1000' })
    .int('must be a whole number from 0 to 1000')
    .min(0, 'must be a whole number from 0 to 1000')
    .max(1000, 'must be a whole number from 0 to 1000')
    .default(0),
  is_active: z.boolean({ error: 'must be true or false' }).default(true),
  config_yaml: z
    .string({ error: (i) => (i.input === undefined ? 'is required: the rule as YAML' : 'must be a string of YAML') })
    .max(MAX_RULE_YAML_CHARS, `must be at most ${MAX_RULE_YAML_CHARS} characters`)
    .describe('The rule’s keys as a YAML mapping (rule_type, contracts, timeframes, …; docs/ALERTS.md).'),
});
export type RuleBody = z.output<typeof ruleBodySchema>;

/** PATCH /api/rules/{id}: switch a rule on or off. */
export const ruleToggleBodySchema = z.strictObject({ is_active: z.boolean({ error: 'is required: true or false' }) });

export const deletedRuleResponseSchema = z.object({ deleted: wireRuleSchema });
