-- TimescaleDB when the server has it, plain PostgreSQL when it does not: one history serves both.
-- The body lives in a function so a test can run the TimescaleDB branch's SQL on plain PostgreSQL.
CREATE FUNCTION barstream_enable_timescaledb() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM create_hypertable('ohlc_bars', 'timestamp',
    chunk_time_interval => interval '30 days', migrate_data => true, if_not_exists => true);
  PERFORM create_hypertable('ticks', 'timestamp',
    chunk_time_interval => interval '1 day', migrate_data => true, if_not_exists => true);
  ALTER TABLE ohlc_bars SET (timescaledb.compress,
    timescaledb.compress_segmentby = 'contract_id, timeframe_unit, timeframe_value',
    timescaledb.compress_orderby = '"timestamp" DESC');
  ALTER TABLE ticks SET (timescaledb.compress,
    timescaledb.compress_segmentby = 'contract_id',
    timescaledb.compress_orderby = '"timestamp" DESC');
  PERFORM add_compression_policy('ohlc_bars', interval '90 days', if_not_exists => true);
  PERFORM add_compression_policy('ticks', interval '7 days', if_not_exists => true);
END $$;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
     OR (EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
         AND current_setting('shared_preload_libraries') LIKE '%timescaledb%') THEN
    CREATE EXTENSION IF NOT EXISTS timescaledb;
    PERFORM barstream_enable_timescaledb();
  ELSE
    RAISE NOTICE 'timescaledb extension not available: ohlc_bars and ticks stay plain tables';
  END IF;
END $$;
