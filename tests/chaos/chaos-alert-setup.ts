// The chaos run's alert ground: the alerter's watermark at the epoch, one webhook destination, and a
// record of the signals the analyzer withdraws (a bar corrected after they were stored: its recomputation
// no longer finds them), so the comparison can tell an alert sent on such a signal from a wrong one.
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
  await client.query(`
    CREATE TABLE chaos_withdrawn_signals AS SELECT analyzer_id, contract_id, timeframe, "timestamp", signal_type FROM detected_signals WITH NO DATA;
    CREATE FUNCTION chaos_signal_withdrawn() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO chaos_withdrawn_signals VALUES (OLD.analyzer_id, OLD.contract_id, OLD.timeframe, OLD."timestamp", OLD.signal_type);
      RETURN OLD;
    END $$;
    CREATE TRIGGER chaos_signal_withdrawn AFTER DELETE ON detected_signals FOR EACH ROW EXECUTE FUNCTION chaos_signal_withdrawn();`);
  await client.end();
}
