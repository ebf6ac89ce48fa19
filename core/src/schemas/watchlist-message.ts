// watchlist_changed payload: a contract was added to, removed from, or switched on/off in the watchlist;
// the ingester subscribes or unsubscribes without a restart, the alerter reloads what it watches.
import { z } from 'zod';

export const watchlistChangedMessageSchema = z.object({
  type: z.literal('watchlist_changed'),
  contract_id: z.string().min(1),
  /** added: new or re-activated; removed: deleted or deactivated; updated: notes only. */
  action: z.enum(['added', 'removed', 'updated']),
});
export type WatchlistChangedMessage = z.infer<typeof watchlistChangedMessageSchema>;
