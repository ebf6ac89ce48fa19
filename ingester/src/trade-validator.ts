// Rejects trades no bar should ever see: bad numbers, unknown contracts, times far from now.
import type { Trade } from '@barstream/core';

export interface TradeValidatorOptions {
  readonly contracts: ReadonlySet<string>;
  readonly maxClockSkewMs: number;
}

/** Returns undefined for a good trade, else the reason it is rejected. */
export function rejectReason(trade: Trade, nowMs: number, options: TradeValidatorOptions): string | undefined {
  if (!options.contracts.has(trade.contractId)) return `unknown contract '${trade.contractId}'`;
  if (!Number.isFinite(trade.price) || trade.price <= 0) return `price ${trade.price} is not a positive number`;
  if (!Number.isFinite(trade.volume) || trade.volume < 0) return `volume ${trade.volume} is not a non-negative number`;
  if (!Number.isFinite(trade.time)) return 'timestamp is not a number';
  if (Math.abs(trade.time - nowMs) > options.maxClockSkewMs) {
    return `timestamp ${new Date(trade.time).toISOString()} is more than ${options.maxClockSkewMs} ms from now`;
  }
  return undefined;
}
