// Per-symbol highest trade id seen: drops the trades two overlapping or successive connections both deliver.
export class HighestTradeIdFilter {
  private readonly highest = new Map<string, number>();

  /** True (and remembered) when `tradeId` is above every id seen for `symbol`; Binance and Coinbase ids only grow. */
  accept(symbol: string, tradeId: number): boolean {
    const seen = this.highest.get(symbol);
    if (seen !== undefined && tradeId <= seen) return false;
    this.highest.set(symbol, tradeId);
    return true;
  }

  highestOf(symbol: string): number | undefined {
    return this.highest.get(symbol);
  }
}
