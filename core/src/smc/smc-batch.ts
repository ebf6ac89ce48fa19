// All five SMC studies in batch over the same bars and parameters (swings computed once).
import { bosChoch } from './bos-choch.ts';
import { fvg } from './fvg.ts';
import { liquidity } from './liquidity.ts';
import { orderBlocks } from './order-blocks.ts';
import type { SmcBars } from './smc-bars.ts';
import type { SmcColumns, SmcParams } from './smc-params.ts';
import { swingHighsLows } from './swing-highs-lows.ts';

export interface SmcBatchResult {
  readonly fvg: SmcColumns<'fvg'>;
  readonly swing_highs_lows: SmcColumns<'swing_highs_lows'>;
  readonly bos_choch: SmcColumns<'bos_choch'>;
  readonly ob: SmcColumns<'ob'>;
  readonly liquidity: SmcColumns<'liquidity'>;
}

export function smcBatch(bars: SmcBars, params: SmcParams): SmcBatchResult {
  const swings = swingHighsLows(bars, params.swing_length);
  return {
    fvg: fvg(bars, params.join_consecutive),
    swing_highs_lows: swings,
    bos_choch: bosChoch(bars, swings, params.close_break),
    ob: orderBlocks(bars, swings.HighLow, params.close_mitigation),
    liquidity: liquidity(bars, swings, params.range_percent),
  };
}
