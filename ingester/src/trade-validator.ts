// Rejects trades no bar should ever see: bad numbers, unknown contracts. Time is never judged
// against the wall clock (the stream sets "now": market-clock.ts); far jumps are held (stream-jump-guard.ts).
import { isNumericTradeId, type Trade } from '@barstream/core';

export interface TradeValidatorOptions {
  readonly contracts: ReadonlySet<string>;
}

/** Returns undefined for a good trade, else the reason it is rejected. */
export function rejectReason(trade: Trade, options: TradeValidatorOptions): string | undefined {
  if (!options.contracts.has(trade.contractId)) return `unknown contract '${trade.contractId}'`;
  if (!Number.isFinite(trade.price) || trade.price <= 0) return `price ${trade.price} is not a positive number`;
  if (!Number.isFinite(trade.volume) || trade.volume < 0) return `volume ${trade.volume} is not a non-negative number`;
  if (!Number.isFinite(trade.time)) return 'timestamp is not a number';
  if (trade.side !== 'buy' && trade.side !== 'sell' && trade.side !== 'unknown')
    return `side '${String(trade.side)}' is not buy, sell or unknown`;
  // A numeric id stands for its decimal digits (core's Trade.tradeId): any other number has no such text.
  if (typeof trade.tradeId === 'number' && !isNumericTradeId(trade.tradeId))
    return `trade id ${trade.tradeId} is a number but not a whole number from 0 to 2^53 - 1`;
  return undefined;
}
