-- ohlc_bars: one index fewer to maintain per bar written. ohlc_bars_timeframe_idx served lookups by
-- the readable label (timeframe = '5m'); every barstream read and write goes through the primary
-- key (contract_id, timeframe_unit, timeframe_value, "timestamp"), and the label follows from unit
-- and value (CHECK ohlc_bars_timeframe_label). Maintaining the second B-tree cost about a third of
-- the database's time in a bulk import (bench:import). Plain-SQL lookups by label still work; for
-- the index, filter by unit and value, e.g. with timeframe_unit_of('5m') / timeframe_value_of('5m').
DROP INDEX IF EXISTS ohlc_bars_timeframe_idx;

-- The inverse of timeframe_label: '5m' → 2 and 5 (NULL for a label that is not one).
CREATE FUNCTION timeframe_unit_of(label text) RETURNS smallint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE substring(label FROM '^[0-9]+([a-z]+)$')
    WHEN 's' THEN 1 WHEN 'm' THEN 2 WHEN 'h' THEN 3 WHEN 'd' THEN 4 WHEN 'w' THEN 5 WHEN 'mo' THEN 6 END;

CREATE FUNCTION timeframe_value_of(label text) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN substring(label FROM '^([0-9]+)[a-z]+$')::integer;
