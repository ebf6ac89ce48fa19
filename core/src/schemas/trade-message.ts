// trade_update payload: one summary per write of a strategy run's records (one input's orders, fills,
// positions, trades and equity point, or a backtest's batch); pages refetch /api/runs/{id}/… for it.
import { z } from 'zod';

export const tradeUpdateMessageSchema = z.object({
  type: z.literal('trade_update'),
  run_id: z.number().int().positive(),
  contract_id: z.string().min(1),
  status: z.enum(['created', 'running', 'stopped', 'halted', 'completed', 'failed']),
  /** Time of the last input the stored rows now reflect (null before the first). */
  through: z.iso.datetime({ offset: true }).nullable(),
  /** Rows written by this write. */
  orders: z.number().int().nonnegative(),
  fills: z.number().int().nonnegative(),
  trades: z.number().int().nonnegative(),
  equity_points: z.number().int().nonnegative(),
  /** Equity after the write, as formatMoney text (exact), null before the first equity point. */
  equity: z.string().nullable(),
  /** true: a paper run's live mark between closed bars (tick model): `equity` marked to the latest trade,
   * `through` that trade's time; no rows were written (equity points are stored on closed bars only). */
  live: z.literal(true).optional(),
});
export type TradeUpdateMessage = z.infer<typeof tradeUpdateMessageSchema>;
