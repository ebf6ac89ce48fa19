// Venue products the ingester may run without a contracts: entry.

/** A Binance symbol the ingester may run without a contracts: entry (UTC calendar, 0.01 tick). */
export const UNLISTED_BINANCE_SYMBOL = /^[A-Z0-9]{5,20}$/;

/** A US stock symbol (SPY, BRK.B) the ingester may run on Alpaca without a contracts: entry (xnys calendar, 0.01 tick). */
export const UNLISTED_ALPACA_SYMBOL = /^[A-Z][A-Z0-9]{0,9}([./][A-Z]{1,2})?$/;
/** A Coinbase product (BASE-QUOTE) the ingester may run without a contracts: entry (UTC calendar; the tick
 * size comes from the venue's quote_increment at start). */
export const UNLISTED_COINBASE_PRODUCT = /^[A-Z0-9]{1,12}-[A-Z0-9]{1,12}$/;

/** Whether `id` may be ingested from `provider` without a contracts: entry. */
export function isUnlistedVenueProduct(provider: string, id: string): boolean {
  return (
    (provider === 'binance' && UNLISTED_BINANCE_SYMBOL.test(id)) ||
    (provider === 'coinbase' && UNLISTED_COINBASE_PRODUCT.test(id)) ||
    (provider === 'alpaca' && UNLISTED_ALPACA_SYMBOL.test(id))
  );
}
