-- create_hypertable (migration 002) also creates a "timestamp" DESC index on each table unless told
-- create_default_indexes => false; 002 did not say so, so on TimescaleDB ohlc_bars and ticks carry an
-- index nothing uses: every barstream read and write of ohlc_bars goes through its primary key, and
-- ticks are read by (contract_id, "timestamp"). Applied migrations cannot change (postgrator verifies
-- their checksums), so this one drops them, whatever their names, and changes the function 002
-- defined so any later call creates none. On plain PostgreSQL there is nothing to drop.
DO $$
DECLARE
  idx regclass;
BEGIN
  FOR idx IN
    SELECT i.indexrelid::regclass
      FROM pg_index i
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
     WHERE i.indrelid IN ('ohlc_bars'::regclass, 'ticks'::regclass)
       AND NOT i.indisunique AND i.indnkeyatts = 1 AND a.attname = 'timestamp'
  LOOP
    EXECUTE format('DROP INDEX %s', idx);
  END LOOP;
END $$;

CREATE OR REPLACE FUNCTION barstream_enable_timescaledb() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM create_hypertable('ohlc_bars', 'timestamp',
    chunk_time_interval => interval '30 days', migrate_data => true, if_not_exists => true, create_default_indexes => false);
  PERFORM create_hypertable('ticks', 'timestamp',
    chunk_time_interval => interval '1 day', migrate_data => true, if_not_exists => true, create_default_indexes => false);
  ALTER TABLE ohlc_bars SET (timescaledb.compress,
    timescaledb.compress_segmentby = 'contract_id, timeframe_unit, timeframe_value',
    timescaledb.compress_orderby = '"timestamp" DESC');
  ALTER TABLE ticks SET (timescaledb.compress,
    timescaledb.compress_segmentby = 'contract_id',
    timescaledb.compress_orderby = '"timestamp" DESC');
  PERFORM add_compression_policy('ohlc_bars', interval '90 days', if_not_exists => true);
  PERFORM add_compression_policy('ticks', interval '7 days', if_not_exists => true);
END $$;
