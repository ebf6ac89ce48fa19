// rules_changed payload: a rule was created, edited, toggled or deleted (API or config/rules at start);
// the alerter reloads its rules. rule_id null: several rules changed (a file sync).
import { z } from 'zod';

export const rulesChangedMessageSchema = z.object({
  type: z.literal('rules_changed'),
  rule_id: z.number().int().positive().nullable(),
  action: z.enum(['created', 'updated', 'deleted', 'synced']),
});
export type RulesChangedMessage = z.infer<typeof rulesChangedMessageSchema>;
