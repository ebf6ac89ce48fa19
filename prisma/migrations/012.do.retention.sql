-- Retention of ticks on TimescaleDB: a retention policy (drop whole day chunks) beside 002's compression
-- policy, set by the ingester at start from retention.ticks_days (NULL removes it). Plain PostgreSQL
-- has no policies: the ingester's retention job deletes there (ingester/src/retention-job.ts).
-- The body lives in a function, as in 002, so a test can run its calls on plain PostgreSQL.
CREATE FUNCTION barstream_set_ticks_retention(days integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM remove_retention_policy('ticks', if_exists => true);
  IF days IS NOT NULL THEN
    PERFORM add_retention_policy('ticks', drop_after => make_interval(days => days));
  END IF;
END $$;
