// The five SMC studies and their output columns, in the library's order. Imports nothing (exported alone
// as @barstream/core/smc-studies): a command's usage text names the studies without loading zod or core.
export const SMC_STUDY_COLUMNS = {
  fvg: ['FVG', 'Top', 'Bottom', 'MitigatedIndex'],
  swing_highs_lows: ['HighLow', 'Level'],
  bos_choch: ['BOS', 'CHOCH', 'Level', 'BrokenIndex'],
  ob: ['OB', 'Top', 'Bottom', 'OBVolume', 'MitigatedIndex', 'Percentage'],
  liquidity: ['Liquidity', 'Level', 'End', 'Swept'],
} as const;

export type SmcStudy = keyof typeof SMC_STUDY_COLUMNS;
export const SMC_STUDIES = Object.keys(SMC_STUDY_COLUMNS) as SmcStudy[];
