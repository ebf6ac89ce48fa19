// A paper run's live mark between closed bars (tick fill model): after trades that filled nothing, a
// trade_update NOTIFY with `live: true` and no rows carries the equity marked to the latest trade — at most
// once per interval, only while a position is open and when the mark moved. Nothing is stored per trade:
// equity points stay one per closed bar, as in the backtest of the same run.
import { channels, type TradeUpdateMessage } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import { formatMoney, type Money, type TradingEngine } from '@barstream/core/trading';

export class PaperMarkNotifier {
  private lastAt = -Infinity;
  private lastEquity: Money | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly ids: { readonly runId: number; readonly contractId: string },
    /** settings trader.paper_mark_interval_ms; 0: after every step that moved the mark. */
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** After a step whose trades stored nothing; `through` is the last trade's key. */
  async afterTrades(engine: TradingEngine, through: number | undefined): Promise<void> {
    const equity = engine.markedEquity();
    if (equity === null || through === undefined || engine.position.netSteps === 0 || equity === this.lastEquity) return;
    const at = this.now();
    if (at - this.lastAt < this.intervalMs) return;
    this.lastAt = at;
    this.lastEquity = equity;
    const message: TradeUpdateMessage = {
      type: 'trade_update',
      run_id: this.ids.runId,
      contract_id: this.ids.contractId,
      status: 'running',
      through: new Date(through).toISOString(),
      orders: 0,
      fills: 0,
      trades: 0,
      equity_points: 0,
      equity: formatMoney(equity),
      live: true,
    };
    await this.pool.query('SELECT pg_notify($1, $2)', [channels.tradeUpdate.name, JSON.stringify(message)]);
  }
}
