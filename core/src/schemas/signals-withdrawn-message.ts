// signals_withdrawn payload: one summary per transaction in which the analyzer deleted stored signals of
// one target (a re-run from a corrected bar, a recomputation that disagreed). The rows themselves are in
// signal_withdrawals (migration 019), written in the same transaction: a listener reads them from there.
import { z } from 'zod';

export const signalsWithdrawnMessageSchema = z.object({
  type: z.literal('signals_withdrawn'),
  analyzer_id: z.string().min(1),
  contract_id: z.string().min(1),
  timeframe: z.string().min(1),
  cause: z.enum(['rerun', 'reconcile', 'recompute']),
  /** How many signals were withdrawn (signal_withdrawals rows written). */
  count: z.number().int().positive(),
});
export type SignalsWithdrawnMessage = z.infer<typeof signalsWithdrawnMessageSchema>;
