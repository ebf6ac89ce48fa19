// smc_update payload: one summary per write of SMC rows (a closed bar, or a backfill's batch), so the
// chart refetches the changed range instead of receiving rows that could exceed the NOTIFY limit.
import { z } from 'zod';

export const smcUpdateMessageSchema = z.object({
  type: z.literal('smc_update'),
  study_id: z.string().min(1),
  contract_id: z.string().min(1),
  timeframe: z.string().min(1),
  /** The last closed bar the stored rows now reflect. */
  through: z.iso.datetime({ offset: true }),
  /** Earliest bar_time among the rows inserted, updated or deleted by this write. */
  from: z.iso.datetime({ offset: true }),
  /** Rows of smc_events and of zones inserted, updated or deleted. */
  events: z.number().int().nonnegative(),
  zones: z.number().int().nonnegative(),
});
export type SmcUpdateMessage = z.infer<typeof smcUpdateMessageSchema>;
