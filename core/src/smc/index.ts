// SMC (smart money concepts, ../shared/specs/smc.md): batch studies reproducing smartmoneyconcepts 0.0.27 and the live engine.
export * from './smc-params.ts';
export * from './smc-bars.ts';
export * from './fvg.ts';
export * from './swing-highs-lows.ts';
export * from './bos-choch.ts';
export type { BosChochCandidate } from './bos-choch-candidates.ts';
export { orderBlocks } from './order-blocks.ts';
export * from './liquidity.ts';
export * from './smc-batch.ts';
export type { SmcRowChange } from './published-rows.ts';
export * from './smc-live-engine.ts';
