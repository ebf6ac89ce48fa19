// The reads the alerter tests check its progress with: the alerts stored, the alerter's watermark, and
// emptying what a test stored for the next test of its file.
import type { Pool } from '../../core/src/node/db-pool.ts';

/** The reads, on the file's pool once it is ready. */
export function alerterReads(pool: () => Pool) {
  return {
    /** The stored alerts' keys, sorted. */
    storedKeys: async (): Promise<string[]> => {
      const { rows } = await pool().query<{ alert_key: string }>('SELECT alert_key FROM alerts ORDER BY alert_key');
      return rows.map((r) => r.alert_key);
    },
    /** The alerter's watermark (epoch ms); 0 before it stored one. */
    alerterWatermark: async (): Promise<number> => {
      const { rows } = await pool().query<{ t: number }>(
        `SELECT (extract(epoch FROM last_processed_timestamp) * 1000)::float8 AS t FROM analyzer_watermarks
          WHERE analyzer_id = 'alerter' AND timeframe = '*'`,
      );
      return rows[0]?.t ?? 0;
    },
    /** Empties what an alerter test stores, for the next test of the file. */
    truncate: async (): Promise<void> => {
      await pool().query('TRUNCATE alerts, ohlc_bars, detected_signals, analyzer_watermarks, alerter_progress CASCADE');
    },
  };
}
