-- A backtest's equity curve with each value stored once per change (issue #14's 1,000,000-bar backtest in
-- ≤ 3 s). equity_chunks (014, 016) stores 8 arrays of one element per point: 8 million elements a million
-- bars, each received and stored by the database, ~0.9 s of its CPU a run. Most of them repeat: cash,
-- realized PnL, fees, margin and position change only at fills (a few thousand times a million bars), a
-- futures run's unrealized PnL is its position value, and bar times step evenly between session gaps.
-- Here each of those is stored as spans of equal values (a value and how many points it covers), times as
-- spans of equal steps; only the position value keeps an element per point. New backtests write this
-- table; equity_chunks stays (older runs), and the view run_equity reads all three forms as the same rows.
--
-- Money is in the engine's exact integer units of 10⁻⁸ (bigint), as in equity_chunks.
CREATE TABLE equity_change_chunks (
  run_id         bigint NOT NULL,
  -- the first point's time (the chunk's key) and the number of points
  first_time     timestamptz NOT NULL,
  points         integer NOT NULL CHECK (points > 0),
  -- the points' times: span k is time_counts[k] points from time_starts[k], time_steps[k] µs apart
  time_starts    timestamptz[] NOT NULL,
  time_steps     bigint[] NOT NULL,
  time_counts    integer[] NOT NULL,
  -- one element per point
  position_value bigint[] NOT NULL,
  -- one element per point, or none when every point's equals its position value (a futures run's)
  unrealized_pnl bigint[] NOT NULL,
  -- cash, realized PnL, fees and position: span k covers account_counts[k] points of equal values
  account_counts integer[] NOT NULL,
  cash           bigint[] NOT NULL,
  realized_pnl   bigint[] NOT NULL,
  fees           bigint[] NOT NULL,
  position       double precision[] NOT NULL,
  -- margin used: span k covers margin_counts[k] points of value margin_used[k]
  margin_counts  integer[] NOT NULL,
  margin_used    bigint[] NOT NULL,
  PRIMARY KEY (run_id, first_time),
  CHECK (cardinality(time_steps) = cardinality(time_starts) AND cardinality(time_counts) = cardinality(time_starts)
     AND cardinality(position_value) = points AND cardinality(unrealized_pnl) IN (0, points)
     AND cardinality(cash) = cardinality(account_counts) AND cardinality(realized_pnl) = cardinality(account_counts)
     AND cardinality(fees) = cardinality(account_counts) AND cardinality(position) = cardinality(account_counts)
     AND cardinality(margin_used) = cardinality(margin_counts))
);
-- Out of line uncompressed, as equity_chunks: compressing costs more than writing the bytes.
ALTER TABLE equity_change_chunks
  ALTER COLUMN time_starts SET STORAGE EXTERNAL, ALTER COLUMN time_steps SET STORAGE EXTERNAL,
  ALTER COLUMN time_counts SET STORAGE EXTERNAL, ALTER COLUMN position_value SET STORAGE EXTERNAL,
  ALTER COLUMN unrealized_pnl SET STORAGE EXTERNAL, ALTER COLUMN account_counts SET STORAGE EXTERNAL,
  ALTER COLUMN cash SET STORAGE EXTERNAL, ALTER COLUMN realized_pnl SET STORAGE EXTERNAL,
  ALTER COLUMN fees SET STORAGE EXTERNAL, ALTER COLUMN position SET STORAGE EXTERNAL,
  ALTER COLUMN margin_counts SET STORAGE EXTERNAL, ALTER COLUMN margin_used SET STORAGE EXTERNAL;

-- Spans of equal values as one element per point: values[k] repeated counts[k] times.
CREATE FUNCTION equity_spans(vals anyarray, counts integer[]) RETURNS anyarray LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT array_agg(s.v ORDER BY s.k) FROM unnest(vals, counts) WITH ORDINALITY AS s(v, n, k), generate_series(1, s.n)
$$;

-- Spans of evenly stepped times as one time per point: counts[k] times from starts[k], steps[k] µs apart.
CREATE FUNCTION equity_span_times(starts timestamptz[], steps bigint[], counts integer[]) RETURNS timestamptz[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT array_agg(s.t + (s.step * i) * interval '1 microsecond' ORDER BY s.k, i)
    FROM unnest(starts, steps, counts) WITH ORDINALITY AS s(t, step, n, k), generate_series(0, s.n - 1) AS i
$$;

-- Every run's equity points, one row per closed bar, whichever way they were stored (rows unchanged).
CREATE OR REPLACE VIEW run_equity AS
  SELECT run_id, "time", cash, equity, position_value, unrealized_pnl, realized_pnl, fees, margin_used, position
    FROM equity_points
  UNION ALL
  SELECT c.run_id, u."time",
         (u.cash::numeric / 100000000)::numeric(30, 8), ((u.cash + u.position_value)::numeric / 100000000)::numeric(30, 8),
         (u.position_value::numeric / 100000000)::numeric(30, 8), (u.unrealized_pnl::numeric / 100000000)::numeric(30, 8),
         (u.realized_pnl::numeric / 100000000)::numeric(30, 8), (u.fees::numeric / 100000000)::numeric(30, 8),
         (u.margin_used::numeric / 100000000)::numeric(30, 8), u.position
    FROM equity_chunks c,
         unnest(c."time", c.cash, c.position_value, c.unrealized_pnl, c.realized_pnl, c.fees, c.margin_used, c.position)
           AS u("time", cash, position_value, unrealized_pnl, realized_pnl, fees, margin_used, position)
  UNION ALL
  SELECT c.run_id, u."time",
         (u.cash::numeric / 100000000)::numeric(30, 8), ((u.cash + u.position_value)::numeric / 100000000)::numeric(30, 8),
         (u.position_value::numeric / 100000000)::numeric(30, 8), (u.unrealized_pnl::numeric / 100000000)::numeric(30, 8),
         (u.realized_pnl::numeric / 100000000)::numeric(30, 8), (u.fees::numeric / 100000000)::numeric(30, 8),
         (u.margin_used::numeric / 100000000)::numeric(30, 8), u.position
    FROM equity_change_chunks c,
         unnest(equity_span_times(c.time_starts, c.time_steps, c.time_counts), equity_spans(c.cash, c.account_counts),
                c.position_value, CASE WHEN cardinality(c.unrealized_pnl) = 0 THEN c.position_value ELSE c.unrealized_pnl END,
                equity_spans(c.realized_pnl, c.account_counts), equity_spans(c.fees, c.account_counts),
                equity_spans(c.margin_used, c.margin_counts), equity_spans(c.position, c.account_counts))
           AS u("time", cash, position_value, unrealized_pnl, realized_pnl, fees, margin_used, position);

-- Deleting a run deletes its equity change chunks too.
CREATE OR REPLACE FUNCTION strategy_run_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM order_events WHERE run_id = OLD.run_id;
  DELETE FROM order_event_chunks WHERE run_id = OLD.run_id;
  DELETE FROM orders WHERE run_id = OLD.run_id;
  DELETE FROM fills WHERE run_id = OLD.run_id;
  DELETE FROM trades WHERE run_id = OLD.run_id;
  DELETE FROM equity_chunks WHERE run_id = OLD.run_id;
  DELETE FROM equity_change_chunks WHERE run_id = OLD.run_id;
  DELETE FROM equity_points WHERE run_id = OLD.run_id;
  RETURN OLD;
END $$;
