// Signal on the wire: the signal_detected payload, one per new detected_signals row.
import { z } from 'zod';

export const signalMessageSchema = z.object({
  type: z.literal('signal'),
  signal_id: z.number().int(),
  analyzer_id: z.string().min(1),
  contract_id: z.string().min(1),
  timeframe: z.string().min(1),
  timestamp: z.iso.datetime({ offset: true }),
  trigger_timestamp: z.iso.datetime({ offset: true }),
  signal_type: z.string().min(1),
  signal_price: z.number().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type SignalMessage = z.infer<typeof signalMessageSchema>;
