-- A backtest's equity curve, packed (issue #14's 1,000,000-bar backtest in ≤ 3 s): one row per stored
-- batch of consecutive closed bars, each column an array with one element per bar. Writing a million
-- equity_points rows (a tuple and a key each) cost more than the whole rest of the backtest; a few
-- rows of arrays written by binary COPY cost a small fraction. Paper runs, which add one point per bar
-- as it closes, keep writing equity_points. Read both through the view run_equity.
--
-- Money is in the engine's exact integer units of 10⁻⁸ (bigint); run_equity turns it into
-- numeric(30,8) exactly as equity_points holds it.
CREATE TABLE equity_chunks (
  run_id         bigint NOT NULL,
  -- the first point's time (the chunk's key) and the number of points
  first_time     timestamptz NOT NULL,
  points         integer NOT NULL CHECK (points > 0),
  "time"         timestamptz[] NOT NULL,
  cash           bigint[] NOT NULL,
  equity         bigint[] NOT NULL,
  position_value bigint[] NOT NULL,
  unrealized_pnl bigint[] NOT NULL,
  realized_pnl   bigint[] NOT NULL,
  fees           bigint[] NOT NULL,
  margin_used    bigint[] NOT NULL,
  position       double precision[] NOT NULL,
  PRIMARY KEY (run_id, first_time),
  CHECK (cardinality("time") = points AND cardinality(cash) = points AND cardinality(equity) = points
     AND cardinality(position_value) = points AND cardinality(unrealized_pnl) = points AND cardinality(realized_pnl) = points
     AND cardinality(fees) = points AND cardinality(margin_used) = points AND cardinality(position) = points)
);
-- Stored out of line uncompressed: pglz compressing ~100 MB of arrays per million bars took longer than
-- writing them.
ALTER TABLE equity_chunks
  ALTER COLUMN "time" SET STORAGE EXTERNAL, ALTER COLUMN cash SET STORAGE EXTERNAL, ALTER COLUMN equity SET STORAGE EXTERNAL,
  ALTER COLUMN position_value SET STORAGE EXTERNAL, ALTER COLUMN unrealized_pnl SET STORAGE EXTERNAL,
  ALTER COLUMN realized_pnl SET STORAGE EXTERNAL, ALTER COLUMN fees SET STORAGE EXTERNAL,
  ALTER COLUMN margin_used SET STORAGE EXTERNAL, ALTER COLUMN position SET STORAGE EXTERNAL;

-- Every run's equity points, one row per closed bar, whichever way they were stored.
CREATE VIEW run_equity AS
  SELECT run_id, "time", cash, equity, position_value, unrealized_pnl, realized_pnl, fees, margin_used, position
    FROM equity_points
  UNION ALL
  SELECT c.run_id, u."time",
         (u.cash::numeric / 100000000)::numeric(30, 8), (u.equity::numeric / 100000000)::numeric(30, 8),
         (u.position_value::numeric / 100000000)::numeric(30, 8), (u.unrealized_pnl::numeric / 100000000)::numeric(30, 8),
         (u.realized_pnl::numeric / 100000000)::numeric(30, 8), (u.fees::numeric / 100000000)::numeric(30, 8),
         (u.margin_used::numeric / 100000000)::numeric(30, 8), u.position
    FROM equity_chunks c,
         unnest(c."time", c.cash, c.equity, c.position_value, c.unrealized_pnl, c.realized_pnl, c.fees, c.margin_used, c.position)
           AS u("time", cash, equity, position_value, unrealized_pnl, realized_pnl, fees, margin_used, position);
