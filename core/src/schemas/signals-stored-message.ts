// signals_stored payload: one summary per bulk write of signals (a backfill or re-run stores
// thousands at once; one signal_detected per row would flood every listener).
import { z } from 'zod';

export const signalsStoredMessageSchema = z.object({
  type: z.literal('signals_stored'),
  analyzer_id: z.string().min(1),
  contract_id: z.string().min(1),
  timeframe: z.string().min(1),
  /** Timestamps (the signals' bars) of the earliest and latest stored signal. */
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  count: z.number().int().positive(),
});
export type SignalsStoredMessage = z.infer<typeof signalsStoredMessageSchema>;
