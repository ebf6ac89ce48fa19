-- SMC studies (../shared/specs/smc.md, smartmoneyconcepts 0.0.27): the library's answer on a study's
-- window, one table row per library row that holds a value. A study instance (study_id) is one
-- configured set of parameters over one contract and timeframe, starting at a fixed first bar.
--   bar_index  the library's row position in the study's window (the window's first bar is 0)
--   bar_time   that bar's "timestamp"
--   confirmed  the row can never change again (spec §7); provisional rows may be updated or deleted
--              by later bars, and the stored rows always equal the batch answer on the bars so far.
-- A *_index column holds the library's bar position, *_time the same bar's timestamp; NULL where the
-- library has NaN or its "did not happen (yet)" 0 (MitigatedIndex, Swept).

CREATE TABLE smc_events (
  study_id     text NOT NULL,
  contract_id  text NOT NULL,
  timeframe    text NOT NULL,
  -- the library function the row comes from
  study        text NOT NULL CHECK (study IN ('swing_highs_lows', 'bos_choch')),
  -- swing_high / swing_low: a swing point (level = Level);
  -- bos / choch: a structure break; bar_time is the swing bar it refers to (the library's row), level
  --   the broken level, broken_* the bar that broke it;
  -- break: a broken candidate the library does not report (BrokenIndex only: spec §4.4 "orphan" rows).
  kind         text NOT NULL CHECK (kind IN ('swing_high', 'swing_low', 'bos', 'choch', 'break')),
  bar_time     timestamptz NOT NULL,
  bar_index    integer NOT NULL CHECK (bar_index >= 0),
  direction    smallint CHECK (direction IN (-1, 1)),
  level        double precision,
  broken_time  timestamptz,
  broken_index integer,
  confirmed    boolean NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (study_id, contract_id, timeframe, study, bar_time)
);
CREATE INDEX smc_events_chart_idx ON smc_events (contract_id, timeframe, bar_time);

CREATE TABLE zones (
  study_id        text NOT NULL,
  contract_id     text NOT NULL,
  timeframe       text NOT NULL,
  -- fvg: fair value gap; ob: order block; liquidity: equal highs/lows (top = bottom = Level)
  study           text NOT NULL CHECK (study IN ('fvg', 'ob', 'liquidity')),
  bar_time        timestamptz NOT NULL,            -- created bar (the library's row)
  bar_index       integer NOT NULL CHECK (bar_index >= 0),
  side            smallint NOT NULL CHECK (side IN (-1, 1)),   -- +1 bullish, -1 bearish
  top             double precision NOT NULL,
  bottom          double precision NOT NULL,
  end_time        timestamptz,                     -- liquidity: End (last member swing)
  end_index       integer,
  mitigated_time  timestamptz,                     -- fvg/ob: MitigatedIndex; liquidity: Swept
  mitigated_index integer,
  volume          double precision,                -- ob: OBVolume
  percentage      double precision,                -- ob: Percentage (strength)
  confirmed       boolean NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (study_id, contract_id, timeframe, study, bar_time),
  CHECK (top >= bottom)
);
CREATE INDEX zones_chart_idx ON zones (contract_id, timeframe, bar_time);
CREATE INDEX zones_active_idx ON zones (contract_id, timeframe) WHERE mitigated_time IS NULL;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    PERFORM create_hypertable('smc_events', 'bar_time', chunk_time_interval => interval '365 days',
      migrate_data => true, if_not_exists => true, create_default_indexes => false);
    PERFORM create_hypertable('zones', 'bar_time', chunk_time_interval => interval '365 days',
      migrate_data => true, if_not_exists => true, create_default_indexes => false);
  END IF;
END $$;
