// A Coinbase trade with the venue's trade id beside it: what both the zod path and the fast path of
// the frame parser hand on.
import type { Trade } from '@barstream/core';

export interface SequencedTrade {
  readonly trade: Trade;
  /** Coinbase trade ids grow per product: the dedupe key across connections. */
  readonly tradeId: number;
}
