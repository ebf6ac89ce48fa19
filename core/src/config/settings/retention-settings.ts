// The retention: section of config/settings.yaml: how long ticks and bars are kept.
import { z } from 'zod';
import { retentionDays } from './setting-fields.ts';

/** How long ticks and bars are kept (issue #18; docs/DEPLOY.md "Retention"). Unset: kept for ever. */
export const retentionSettingsSchema = z
  .strictObject({
    /** Ticks older than this many days are removed (TimescaleDB: a retention policy; else the ingester's job). */
    ticks_days: retentionDays.optional(),
    /** Per timeframe (`1m: 30`): bars of that timeframe older than this many days are removed. */
    bars: z.record(z.string(), retentionDays).default({}),
    /** When the ingester's retention job runs (it also runs at start); node-cron syntax, server time zone. */
    cron: z.string().default('30 3 * * *'),
    /** Rows one DELETE removes at most: small batches keep locks and WAL bursts short. */
    batch_rows: z.number().int().min(100).max(100_000).default(10_000),
  })
  .prefault({});
