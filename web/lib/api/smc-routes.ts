// The SMC routes of the registry (/api/smc/events, /api/smc/zones): their query schemas and typed
// queries. Kept beside routes.ts, which lists them with the others.
import type { Timeframe } from '@barstream/core';
import { z } from 'zod';
import { SMC_DEFAULT_LIMIT } from './defaults.ts';
import {
  analyzerIdSchema,
  checked,
  contractIdSchema,
  limitSchema,
  rangeFields,
  resolveRange,
  resolveTimeframe,
  timeframeFields,
} from './query-fields.ts';
import { smcEventsResponseSchema, smcZonesResponseSchema } from './smc-response-schemas.ts';

export const SMC_EVENT_KINDS = ['swing_high', 'swing_low', 'bos', 'choch', 'break'] as const;
export type SmcEventKindName = (typeof SMC_EVENT_KINDS)[number];
export const SMC_ZONE_STUDIES = ['fvg', 'ob', 'liquidity'] as const;
export type SmcZoneStudyName = (typeof SMC_ZONE_STUDIES)[number];

interface SmcRangeQuery {
  readonly contractId: string;
  readonly timeframe: Timeframe;
  /** undefined: every study instance of this contract and timeframe. */
  readonly studyId: string | undefined;
  readonly from: Date | undefined;
  readonly to: Date | undefined;
  readonly limit: number;
}
export interface SmcEventsQuery extends SmcRangeQuery {
  /** undefined: every kind. */
  readonly kinds: readonly SmcEventKindName[] | undefined;
}
export interface SmcZonesQuery extends SmcRangeQuery {
  /** undefined: every zone study. */
  readonly studies: readonly SmcZoneStudyName[] | undefined;
  /** true: not mitigated (mitigated_time IS NULL); false: mitigated; undefined: both. */
  readonly active: boolean | undefined;
}

/** `a,b,c` of known names (duplicates and blanks ignored), or a message listing the known ones. */
function nameListSchema<T extends string>(names: readonly T[], what: string) {
  return z
    .string()
    .describe(`Comma-separated ${what}: ${names.join(', ')}; absent: all.`)
    .transform((text, ctx) => {
      const picked = [
        ...new Set(
          text
            .split(',')
            .map((n) => n.trim())
            .filter(Boolean),
        ),
      ];
      const unknown = picked.filter((n) => !(names as readonly string[]).includes(n));
      if (picked.length === 0) {
        ctx.addIssue({ code: 'custom', message: `must list one or more of ${names.join(', ')}` });
        return z.NEVER;
      }
      if (unknown.length > 0) {
        ctx.addIssue({ code: 'custom', message: `${unknown.map((n) => `'${n}'`).join(', ')} is not one of ${names.join(', ')}` });
        return z.NEVER;
      }
      return picked as T[];
    });
}

const activeSchema = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .describe('true: zones not mitigated (or swept) yet; false: only mitigated ones; absent: both.')
  .transform((v) => v === 'true');

const studyIdSchema = analyzerIdSchema.describe('Only this study instance; absent: every one of this contract and timeframe.');

const smcRangeFields = {
  contract_id: contractIdSchema,
  ...timeframeFields,
  study_id: studyIdSchema.optional(),
  ...rangeFields,
  limit: limitSchema(SMC_DEFAULT_LIMIT),
};

function smcRange(q: z.infer<z.ZodObject<typeof smcRangeFields>>, ctx: z.RefinementCtx): SmcRangeQuery {
  return checked(ctx, () => ({
    contractId: q.contract_id,
    timeframe: resolveTimeframe(q),
    studyId: q.study_id,
    ...resolveRange(q),
    limit: q.limit,
  }));
}

export const smcEventsQuery = z
  .object({ ...smcRangeFields, kind: nameListSchema(SMC_EVENT_KINDS, 'event kinds').optional() })
  .transform((q, ctx): SmcEventsQuery => ({ ...smcRange(q, ctx), kinds: q.kind }));

export const smcZonesQuery = z
  .object({ ...smcRangeFields, study: nameListSchema(SMC_ZONE_STUDIES, 'zone studies').optional(), active: activeSchema.optional() })
  .transform((q, ctx): SmcZonesQuery => ({ ...smcRange(q, ctx), studies: q.study, active: q.active }));

const NOT_FOUND = 'Unknown contract, or a timeframe that is not configured (`error.available` lists the configured ones).';

/** Entries of the route registry (web/lib/api/routes.ts spreads them in). */
export const smcRouteEntries = {
  smcEvents: {
    path: '/api/smc/events',
    query: smcEventsQuery,
    response: smcEventsResponseSchema,
    notFound: NOT_FOUND,
    summary: 'SMC swing points and structure breaks',
    description:
      'smc_events rows (swing_high, swing_low, bos, choch, break) of one contract and timeframe, oldest first; the newest `limit` in range. ' +
      'A row is in [from, to] when its bar_time <= to and its bar_time or broken_time >= from (a BOS spans from its swing to the bar that broke it).',
  },
  smcZones: {
    path: '/api/smc/zones',
    query: smcZonesQuery,
    response: smcZonesResponseSchema,
    notFound: NOT_FOUND,
    summary: 'SMC zones: fair value gaps, order blocks, liquidity',
    description:
      'zones rows of one contract and timeframe, oldest first; the newest `limit` in range. A zone lives from its bar_time until ' +
      'mitigated_time (or for ever while active), and is returned when that life overlaps [from, to]: a zone created before `from` ' +
      'that is still active, or was mitigated at or after `from`, is included.',
  },
} as const;
