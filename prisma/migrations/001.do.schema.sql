-- Tables and names inherited from the system barstream replaces: users' SQL depends on them.

CREATE TABLE contracts (
  id               text PRIMARY KEY,
  provider         text NOT NULL,
  symbol           text NOT NULL,
  name             text NOT NULL DEFAULT '',
  description      text NOT NULL DEFAULT '',
  tick_size        double precision NOT NULL DEFAULT 0.01 CHECK (tick_size > 0),
  session_calendar text NOT NULL DEFAULT 'utc',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- timeframe_unit follows ProjectX: 1 second, 2 minute, 3 hour, 4 day, 5 week, 6 month.
-- Not STRICT, so PostgreSQL inlines it into the CHECK below (a strict SQL function is called per row).
CREATE FUNCTION timeframe_label(unit smallint, value integer) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN value::text || CASE unit
    WHEN 1 THEN 's' WHEN 2 THEN 'm' WHEN 3 THEN 'h'
    WHEN 4 THEN 'd' WHEN 5 THEN 'w' WHEN 6 THEN 'mo' END;

CREATE TABLE ohlc_bars (
  contract_id     text NOT NULL,
  "timestamp"     timestamptz NOT NULL,
  open            double precision NOT NULL,
  high            double precision NOT NULL,
  low             double precision NOT NULL,
  close           double precision NOT NULL,
  volume          double precision NOT NULL DEFAULT 0,
  timeframe_unit  smallint NOT NULL CHECK (timeframe_unit BETWEEN 1 AND 6),
  timeframe_value integer NOT NULL CHECK (timeframe_value > 0),
  -- Readable form ('5m', '4h', '1d'). Not a generated column: TimescaleDB leaves generated
  -- columns NULL in rows inserted into compressed chunks (timescaledb#9314); a CHECK keeps it honest.
  timeframe       text NOT NULL,
  is_closed       boolean NOT NULL DEFAULT false,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (contract_id, timeframe_unit, timeframe_value, "timestamp"),
  CHECK (high >= low AND high >= open AND high >= close AND low <= open AND low <= close),
  CHECK (volume >= 0),
  CONSTRAINT ohlc_bars_timeframe_label CHECK (timeframe = timeframe_label(timeframe_unit, timeframe_value))
);
CREATE INDEX ohlc_bars_timeframe_idx ON ohlc_bars (contract_id, timeframe, "timestamp");

CREATE TABLE ticks (
  contract_id text NOT NULL,
  "timestamp" timestamptz NOT NULL,
  price       double precision NOT NULL CHECK (price > 0),
  volume      double precision NOT NULL CHECK (volume >= 0),
  side        text NOT NULL DEFAULT 'unknown' CHECK (side IN ('buy', 'sell', 'unknown')),
  trade_id    text
);
-- Ascending: trades arrive in time order, so inserts take the B-tree's rightmost fast path;
-- "newest first" queries scan it backwards just as fast.
CREATE INDEX ticks_contract_time_idx ON ticks (contract_id, "timestamp");

CREATE TABLE detected_signals (
  signal_id         serial,
  analyzer_id       text NOT NULL,
  "timestamp"       timestamptz NOT NULL,
  trigger_timestamp timestamptz NOT NULL DEFAULT now(),
  contract_id       text NOT NULL,
  timeframe         text NOT NULL,
  signal_type       text NOT NULL,
  signal_price      double precision,
  signal_open       double precision,
  signal_high       double precision,
  signal_low        double precision,
  signal_close      double precision,
  signal_volume     double precision,
  details           jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (signal_id),
  CONSTRAINT detected_signals_unique_signal
    UNIQUE (analyzer_id, contract_id, timeframe, "timestamp", signal_type)
);
CREATE INDEX detected_signals_lookup_idx ON detected_signals (contract_id, timeframe, "timestamp");

CREATE TABLE analyzer_watermarks (
  analyzer_id              text NOT NULL,
  contract_id              text NOT NULL,
  timeframe                text NOT NULL,
  last_processed_timestamp timestamptz NOT NULL,
  updated_at               timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (analyzer_id, contract_id, timeframe)
);
