// SMC (smart money concepts, ../shared/specs/smc.md): batch studies reproducing smartmoneyconcepts 0.0.27 and the live engine.
export {
  smcParams,
  smcParamsSchema,
  SMC_STUDIES,
  SMC_STUDY_COLUMNS,
  type SmcColumns,
  type SmcParams,
  type SmcStudy,
} from './smc-params.ts';
export { checkSmcBar, SmcBarSeries, toSmcBars, type SmcBars } from './smc-bars.ts';
export { fvg } from './fvg.ts';
export { swingHighsLows } from './swing-highs-lows.ts';
export { bosChoch } from './bos-choch.ts';
export { orderBlocks } from './order-blocks.ts';
export { liquidity } from './liquidity.ts';
export { smcBatch, type SmcBatchResult } from './smc-batch.ts';
export type { SmcRowChange } from './published-rows.ts';
export { SmcLiveEngine } from './smc-live-engine.ts';
export {
  smcTableOf,
  smcTableRow,
  SMC_EVENT_STUDIES,
  SMC_ZONE_STUDIES,
  type BarTimeAt,
  type SmcEventKind,
  type SmcEventRow,
  type SmcTableRow,
  type SmcZoneRow,
} from './smc-table-rows.ts';
export { pythonFloatText, studyCsv } from './study-csv.ts';
export { smcAnswerRows } from './smc-answer-rows.ts';
