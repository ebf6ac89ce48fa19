// The ingester: section of config/settings.yaml: provider, contracts, timeframes, flush and close timing.
import { z } from 'zod';
import { port, PROVIDERS, timeframeText } from './setting-fields.ts';

export const ingesterSettingsSchema = z.strictObject({
  provider: z.enum(PROVIDERS).default('simulated'),
  contracts: z.array(z.string().min(1)).min(1),
  timeframes: z.array(timeframeText).min(1).default(['1m', '5m']),
  flush_interval_ms: z.number().int().min(10).max(60_000).default(250),
  close_grace_ms: z.number().int().min(0).max(600_000).default(2_000),
  max_clock_skew_ms: z.number().int().positive().default(300_000),
  /** How far back backfill reaches when a contract has no closed bars yet (and at most). */
  backfill_lookback_hours: z
    .number()
    .positive()
    .max(24 * 366)
    .default(72),
  metrics_host: z.string().default('127.0.0.1'),
  metrics_port: port.default(9101),
  simulated: z
    .strictObject({
      ticks_per_second: z.number().positive().max(1_000_000).default(20),
      seed: z.number().int().default(42),
      /** calendar: a contract trades only while its session calendar is open (CME contracts
       * pause at night, weekends, holidays); always: around the clock (tests, demos). */
      market_hours: z.enum(['calendar', 'always']).default('calendar'),
    })
    .prefault({}),
});
