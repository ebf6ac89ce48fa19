// bars_imported payload: one summary per imported contract/timeframe range (no NOTIFY per row).
import { z } from 'zod';

export const barsImportedMessageSchema = z.object({
  type: z.literal('bars_imported'),
  contract_id: z.string().min(1),
  timeframe_unit: z.number().int().min(1).max(6),
  timeframe_value: z.number().int().positive(),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  count: z.number().int().nonnegative(),
});
export type BarsImportedMessage = z.infer<typeof barsImportedMessageSchema>;
