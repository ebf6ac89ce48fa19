// The alerter: section of config/settings.yaml: rules, watchlist seed and delivery.
import { z } from 'zod';
import { port } from './setting-fields.ts';

/** The alerter (issue #15): rules × watched contracts → alerts, delivered through pg-boss. */
export const alerterSettingsSchema = z
  .strictObject({
    metrics_host: z.string().default('127.0.0.1'),
    metrics_port: port.default(9104),
    /** Directory of the rule files, relative to the repository root. */
    rules_dir: z.string().min(1).default('config/rules'),
    /** Contracts put on the watchlist once, when the watchlist table is empty. */
    watchlist_seed: z.array(z.string().min(1)).default(['SIM.MES', 'SIM.MNQ', 'SIM.BTC']),
    /** Where people open the web app (absolute links in deliveries); absent: links are paths. */
    public_web_url: z.url().optional(),
    /** First instant evaluated (ISO); absent: the first stored bar of each watched series. */
    evaluation_start: z.iso.datetime({ offset: true }).optional(),
    delivery: z
      .strictObject({
        /** Attempts in flight at once: a hanging destination holds one slot until its timeout. */
        concurrency: z.number().int().min(1).max(256).default(16),
        /** Attempts per (alert, destination) before it is dead-lettered. */
        max_attempts: z.number().int().min(1).max(100).default(8),
        /** First retry delay; doubles per attempt (with jitter) up to backoff_max_ms. */
        backoff_ms: z.number().int().min(1).max(3_600_000).default(1_000),
        backoff_max_ms: z.number().int().min(1).max(86_400_000).default(300_000),
        /** One attempt's time limit (AbortSignal). */
        attempt_timeout_ms: z.number().int().min(100).max(300_000).default(10_000),
        /** How often the queue is polled when nothing woke it (retries due later). */
        poll_interval_ms: z.number().int().min(500).max(60_000).default(1_000),
        /** How often pg-boss re-queues attempts whose alerter died mid-attempt (seconds). */
        queue_maintenance_s: z.number().int().min(1).max(3_600).default(30),
        /** Telegram Bot API base (TELEGRAM_API_URL): a local Bot API server, or a test's fake. */
        telegram_api_url: z.url().default('https://api.telegram.org'),
      })
      .prefault({}),
  })
  .prefault({});
