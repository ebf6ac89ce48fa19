// alert_created payload: one stored alert, small enough for a toast and a list row; the full alert
// (details, deliveries) is read from /api/alerts.
import { z } from 'zod';

export const alertCreatedMessageSchema = z.object({
  type: z.literal('alert_created'),
  alert_id: z.number().int().positive(),
  rule: z.string().min(1),
  contract_id: z.string().min(1),
  timeframe: z.string().min(1),
  setup_type: z.string().min(1),
  severity: z.enum(['info', 'warning', 'critical']),
  direction: z.enum(['long', 'short', 'none']),
  /** Open time of the bar the alert is about. */
  bar_time: z.iso.datetime({ offset: true }),
  entry_price: z.number().nullable(),
  created_at: z.iso.datetime({ offset: true }),
  /** /trends at that bar. */
  link: z.string().min(1),
});
export type AlertCreatedMessage = z.infer<typeof alertCreatedMessageSchema>;
