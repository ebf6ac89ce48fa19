// The chaos run's alert ground: the alerter's watermark at the epoch and one webhook destination.
import pg from 'pg';

/** The alerter evaluates from the first bar (its watermark at the epoch) and delivers to one webhook. */
export async function setUpAlerts(url: string, hookUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    `INSERT INTO analyzer_watermarks (analyzer_id, contract_id, timeframe, last_processed_timestamp) VALUES ('alerter', '*', '*', to_timestamp(0))`,
  );
  await client.query(`INSERT INTO alert_destinations (name, kind, config, secret) VALUES ('chaos-hook', 'webhook', $1, 'chaos-secret')`, [
    JSON.stringify({ url: hookUrl }),
  ]);
  await client.end();
}
