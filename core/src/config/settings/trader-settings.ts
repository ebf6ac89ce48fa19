// The trader: section of config/settings.yaml: strategy files, scans and paper-run commits.
import { z } from 'zod';
import { port } from './setting-fields.ts';

export const traderSettingsSchema = z
  .strictObject({
    metrics_host: z.string().default('127.0.0.1'),
    metrics_port: port.default(9105),
    /** Strategy files (*.yaml, docs/TRADING.md): synced into strategies at start; `mode: paper` ones run live. */
    strategies_dir: z.string().min(1).default('config/strategies'),
    /** How often created backtests and paper runs are looked for besides their NOTIFY (missed ones). */
    scan_interval_ms: z.number().int().min(100).default(5_000),
    /** Paper steps wait for their commit's WAL flush. Off by default: a paper run's rows are derived from
     * stored inputs, and a write continues the stored watermark or fails, so commits a database crash
     * drops are stored again, the same, by the next step (docs/TRADING.md). */
    paper_synchronous_commit: z.boolean().default(false),
    /** Tick-model paper runs: between closed bars the equity marked to the latest trade goes out as a
     * trade_update NOTIFY (`live: true`, no rows) at most this often; equity points stay per closed bar. */
    paper_mark_interval_ms: z.number().int().min(0).default(1_000),
  })
  .prefault({});
