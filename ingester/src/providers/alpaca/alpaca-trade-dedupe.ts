// Recently delivered trade ids per symbol: drops a trade a reconnect (or the server) delivers twice.
// Alpaca ids are unique per symbol and tape but not ordered across exchanges, so a highest-id filter
// (Binance's) would drop good trades; a bounded window of recent ids does not.

/** Ids remembered per symbol: far more than a reconnect can repeat. */
const DEFAULT_WINDOW = 20_000;

export class RecentTradeIds {
  private readonly seen = new Map<string, Set<string>>();

  constructor(private readonly window = DEFAULT_WINDOW) {}

  /** True (and remembered) when `tradeId` was not delivered for `symbol` recently. */
  accept(symbol: string, tradeId: string): boolean {
    let ids = this.seen.get(symbol);
    if (!ids) {
      ids = new Set();
      this.seen.set(symbol, ids);
    }
    if (ids.has(tradeId)) return false;
    ids.add(tradeId);
    if (ids.size > this.window) {
      // Sets iterate in insertion order: the first is the oldest.
      const oldest = ids.values().next().value;
      if (oldest !== undefined) ids.delete(oldest);
    }
    return true;
  }
}
