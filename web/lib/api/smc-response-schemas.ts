// Wire shapes of /api/smc/events and /api/smc/zones: rows of smc_events and zones (migration 006
// documents every column), times as ISO-8601 UTC strings.
import { z } from 'zod';

const isoTime = z.string().describe('ISO-8601 UTC time.');

export const wireSmcEventSchema = z
  .object({
    study_id: z.string().describe('The study instance (one parameter set over this contract and timeframe).'),
    study: z.enum(['swing_highs_lows', 'bos_choch']),
    kind: z
      .enum(['swing_high', 'swing_low', 'bos', 'choch', 'break'])
      .describe(
        'swing_high / swing_low: a swing point; bos / choch: a structure break; break: a broken candidate the library does not report.',
      ),
    bar_time: isoTime.describe('The swing bar (for bos / choch: the swing bar whose level broke).'),
    bar_index: z.number().int().describe("The bar's position in the study's window."),
    direction: z.number().int().nullable().describe('+1 bullish / high, -1 bearish / low; null for break.'),
    level: z.number().nullable(),
    broken_time: isoTime.nullable().describe('bos / choch / break: the bar that broke the level.'),
    broken_index: z.number().int().nullable(),
    confirmed: z.boolean().describe('false: provisional, later bars may still change or delete the row.'),
  })
  .meta({ title: 'SmcEvent' });
export type WireSmcEvent = z.infer<typeof wireSmcEventSchema>;

export const smcEventsResponseSchema = z.object({
  contract_id: z.string(),
  timeframe: z.string(),
  events: z.array(wireSmcEventSchema).describe('Oldest bar_time first.'),
});
export type SmcEventsResponse = z.infer<typeof smcEventsResponseSchema>;

export const wireZoneSchema = z
  .object({
    study_id: z.string(),
    study: z.enum(['fvg', 'ob', 'liquidity']),
    bar_time: isoTime.describe('The bar that created the zone.'),
    bar_index: z.number().int(),
    side: z.number().int().describe('+1 bullish, -1 bearish.'),
    top: z.number(),
    bottom: z.number().describe('liquidity: top = bottom = the level.'),
    end_time: isoTime.nullable().describe('liquidity: the last swing of the group.'),
    end_index: z.number().int().nullable(),
    mitigated_time: isoTime
      .nullable()
      .describe('fvg / ob: the bar that mitigated it; liquidity: the bar that swept it; null: still active.'),
    mitigated_index: z.number().int().nullable(),
    volume: z.number().nullable().describe('ob: OBVolume.'),
    percentage: z.number().nullable().describe('ob: strength, Percentage.'),
    confirmed: z.boolean(),
  })
  .meta({ title: 'Zone' });
export type WireZone = z.infer<typeof wireZoneSchema>;

export const smcZonesResponseSchema = z.object({
  contract_id: z.string(),
  timeframe: z.string(),
  zones: z.array(wireZoneSchema).describe('Oldest bar_time first.'),
});
export type SmcZonesResponse = z.infer<typeof smcZonesResponseSchema>;
