// One SMC study instance of config/settings.yaml (analyzer.smc): which bars, which parameters, from which first bar.
import { z } from 'zod';
import { smcParamsSchema } from '../smc/smc-params.ts';
import { expected } from './config-messages.ts';
import { timeframeText } from './settings/setting-fields.ts';

/** Largest `last:` accepted: the engine keeps the window in memory (1,000,000 bars ≈ 40 MB). */
export const MAX_SMC_WINDOW_BARS = 1_000_000;

/**
 * The window's first bar is explicit, because the library's answer depends on where the data starts:
 * `from` (an ISO date: every stored bar at or after it) or `last` (the last N stored bars when the
 * instance first runs; resolved once to a first-bar time and persisted in smc_study_state, so a restart
 * never moves the window).
 */
export const smcStudySchema = z
  .strictObject({
    study_id: z.string().regex(/^[A-Za-z0-9_.-]+$/, { error: expected('an id of letters, digits, _ . -') }),
    contract_id: z.string().min(1),
    timeframes: z.array(timeframeText).min(1),
    /** Unknown keys are errors (a misspelt swing_length must not silently take the default). */
    params: z.strictObject(smcParamsSchema.shape).prefault({}),
    from: z.iso.datetime({ offset: true, error: expected('an ISO date-time like 2025-03-16T22:00:00Z') }).optional(),
    last: z
      .number({ error: expected(`a number of bars (1–${MAX_SMC_WINDOW_BARS})`) })
      .int({ error: expected(`a whole number of bars (1–${MAX_SMC_WINDOW_BARS})`) })
      .min(1, { error: expected(`a number of bars (1–${MAX_SMC_WINDOW_BARS})`) })
      .max(MAX_SMC_WINDOW_BARS, { error: expected(`a number of bars (1–${MAX_SMC_WINDOW_BARS})`) })
      .optional(),
  })
  .superRefine((study, ctx) => {
    if ((study.from === undefined) === (study.last === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: study.from === undefined ? ['from'] : ['last'],
        message:
          study.from === undefined
            ? 'missing; give the window start as from: <ISO date-time> or last: <N bars>'
            : 'give either from: or last:, not both',
      });
    }
  });

export type SmcStudySettings = z.infer<typeof smcStudySchema>;
