// Rejects trades no bar should ever see: bad numbers, unknown contracts, times far from now.
import type { Trade } from '@barstream/core';

export interface TradeValidatorOptions {
  readonly contracts: ReadonlySet<string>;
  readonly maxClockSkewMs: number;
  /** Whether a trade time is believable against the market clock. */
  readonly plausibleTime: (time: number) => boolean;
}

/** Returns undefined for a good trade, else the reason it is rejected. */
export function rejectReason(trade: Trade, options: TradeValidatorOptions): string | undefined {
  if (!options.contracts.has(trade.contractId)) return `unknown contract '${trade.contractId}'`;
  if (!Number.isFinite(trade.price) || trade.price <= 0) return `price ${trade.price} is not a positive number`;
  if (!Number.isFinite(trade.volume) || trade.volume < 0) return `volume ${trade.volume} is not a non-negative number`;
  if (!Number.isFinite(trade.time)) return 'timestamp is not a number';
  if (!options.plausibleTime(trade.time)) {
    return `timestamp ${new Date(trade.time).toISOString()} is more than ${options.maxClockSkewMs} ms from the market clock`;
  }
  return undefined;
}
