-- A backtest's order events, packed (issue #14's 1,000,000-bar backtest in ≤ 3 s): one row per stored batch,
-- each column an array with one element per event, as equity_chunks (014) packs the equity curve. Half a
-- million order_events rows per million bars (a tuple and a primary-key entry each) cost the database more
-- than the rest of the run's writes. Paper runs, which add a few events per bar as it closes, keep writing
-- order_events. Read both through the view run_order_events (the same columns as order_events).
CREATE TABLE order_event_chunks (
  run_id      bigint NOT NULL,
  -- the first event's seq (the chunk's key; its events are first_seq, first_seq + 1, …) and their number
  first_seq   bigint NOT NULL CHECK (first_seq > 0),
  events      integer NOT NULL CHECK (events > 0),
  -- the client order ids of the chunk's events, each once; order_index[i] is event i's (1-based)
  order_ids   text[] NOT NULL,
  order_index integer[] NOT NULL,
  "time"      timestamptz[] NOT NULL,
  status      text[] NOT NULL,
  filled_qty  double precision[] NOT NULL,
  qty         double precision[] NOT NULL,
  -- NULL elements where order_events has NULL
  limit_price double precision[] NOT NULL,
  stop_price  double precision[] NOT NULL,
  reason      text[] NOT NULL,
  revision    integer[] NOT NULL,
  PRIMARY KEY (run_id, first_seq),
  CHECK (cardinality(order_index) = events AND cardinality("time") = events AND cardinality(status) = events
     AND cardinality(filled_qty) = events AND cardinality(qty) = events AND cardinality(limit_price) = events
     AND cardinality(stop_price) = events AND cardinality(reason) = events AND cardinality(revision) = events
     AND cardinality(order_ids) BETWEEN 1 AND events)
);
-- Out of line uncompressed, as equity_chunks: compressing costs more than writing the bytes.
ALTER TABLE order_event_chunks
  ALTER COLUMN order_ids SET STORAGE EXTERNAL, ALTER COLUMN order_index SET STORAGE EXTERNAL,
  ALTER COLUMN "time" SET STORAGE EXTERNAL, ALTER COLUMN status SET STORAGE EXTERNAL,
  ALTER COLUMN filled_qty SET STORAGE EXTERNAL, ALTER COLUMN qty SET STORAGE EXTERNAL,
  ALTER COLUMN limit_price SET STORAGE EXTERNAL, ALTER COLUMN stop_price SET STORAGE EXTERNAL,
  ALTER COLUMN reason SET STORAGE EXTERNAL, ALTER COLUMN revision SET STORAGE EXTERNAL;

-- Every run's order events, one row per event, whichever way they were stored.
CREATE VIEW run_order_events AS
  SELECT run_id, seq, "time", client_order_id, status, filled_qty, qty, limit_price, stop_price, reason, revision
    FROM order_events
  UNION ALL
  SELECT c.run_id, c.first_seq + u.n - 1, u."time", c.order_ids[u.order_index], u.status, u.filled_qty, u.qty,
         u.limit_price, u.stop_price, u.reason, u.revision
    FROM order_event_chunks c,
         unnest(c.order_index, c."time", c.status, c.filled_qty, c.qty, c.limit_price, c.stop_price, c.reason, c.revision)
           WITH ORDINALITY AS u(order_index, "time", status, filled_qty, qty, limit_price, stop_price, reason, revision, n);

-- equity_chunks no longer stores equity: it is always cash + position value (the engine computes it so, in
-- the same integer units; a property test checks it), and the column was a ninth of a backtest's COPY bytes.
-- run_equity computes it, so its rows are unchanged.
DROP VIEW run_equity;
ALTER TABLE equity_chunks DROP COLUMN equity;
ALTER TABLE equity_chunks ADD CHECK (cardinality("time") = points AND cardinality(cash) = points
  AND cardinality(position_value) = points AND cardinality(unrealized_pnl) = points AND cardinality(realized_pnl) = points
  AND cardinality(fees) = points AND cardinality(margin_used) = points AND cardinality(position) = points);

CREATE VIEW run_equity AS
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
           AS u("time", cash, position_value, unrealized_pnl, realized_pnl, fees, margin_used, position);

-- Deleting a run deletes its packed rows and equity points too (none of these tables has a foreign key).
CREATE OR REPLACE FUNCTION strategy_run_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM order_events WHERE run_id = OLD.run_id;
  DELETE FROM order_event_chunks WHERE run_id = OLD.run_id;
  DELETE FROM orders WHERE run_id = OLD.run_id;
  DELETE FROM fills WHERE run_id = OLD.run_id;
  DELETE FROM trades WHERE run_id = OLD.run_id;
  DELETE FROM equity_chunks WHERE run_id = OLD.run_id;
  DELETE FROM equity_points WHERE run_id = OLD.run_id;
  RETURN OLD;
END $$;
