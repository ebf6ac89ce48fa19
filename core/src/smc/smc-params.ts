// SMC study parameters (the library's names and defaults, spec table in ../shared/specs/smc.md) and their zod schema.
import { z } from 'zod';
import { SMC_STUDY_COLUMNS, type SmcStudy } from './smc-studies.ts';

export { SMC_STUDIES, SMC_STUDY_COLUMNS, type SmcStudy } from './smc-studies.ts';

export const smcParamsSchema = z.object({
  /** swing_highs_lows: bars after (and, minus one, before) a swing bar; also drives bos_choch, ob, liquidity. */
  swing_length: z.number().int().min(1).max(10_000).default(50),
  /** bos_choch: a break is a close beyond the level (true) or a wick (false). */
  close_break: z.boolean().default(true),
  /** fvg: fold runs of same-direction gaps into the last one. */
  join_consecutive: z.boolean().default(false),
  /** ob: mitigation by the candle body (true) or the wick (false). */
  close_mitigation: z.boolean().default(false),
  /** liquidity: tolerance as a fraction of the whole data's high−low range. */
  range_percent: z.number().finite().min(0).default(0.01),
});

export type SmcParams = z.infer<typeof smcParamsSchema>;

/** Parses parameters (missing ones take the library's defaults); throws a ZodError naming the bad field. */
export function smcParams(input: Partial<SmcParams> = {}): SmcParams {
  return smcParamsSchema.parse(input);
}

/** A study's result: one Float64Array per library column, `n` rows, NaN where the library has NaN. */
export type SmcColumns<S extends SmcStudy> = { [C in (typeof SMC_STUDY_COLUMNS)[S][number]]: Float64Array };

export function nanColumns<S extends SmcStudy>(study: S, n: number): SmcColumns<S> {
  const out: Record<string, Float64Array> = {};
  for (const c of SMC_STUDY_COLUMNS[study]) out[c] = new Float64Array(n).fill(NaN);
  return out as SmcColumns<S>;
}
