-- A backtest's orders, packed (issue #14's 1,000,000-bar backtest in ≤ 3 s): one row per stored batch, each
-- column an array with one element per order, as order_event_chunks (016) packs the order events. ~100,000
-- orders rows a million bars (a tuple and a primary-key entry each) cost the database 0.4–0.7 s a run.
-- A batch packs the orders it created that were final (filled, cancelled or rejected) when it ended: a final
-- order never changes again (the engine's order state machine), so no packed element is ever updated. Orders
-- still working when a batch ends, and every paper run's order, stay rows of orders (updated in place by a
-- later batch or step). The writer never stores one client order id twice in a run (the primary key's job
-- for rows). Read both through the view run_orders (the same columns and rows as orders).
CREATE TABLE order_chunks (
  run_id          bigint NOT NULL,
  -- the seq of the batch's first order event (its order_event_chunks row's: the chunk's key), and the number
  -- of orders
  first_seq       bigint NOT NULL CHECK (first_seq > 0),
  orders          integer NOT NULL CHECK (orders > 0),
  client_order_id text[] NOT NULL,
  role            text[] NOT NULL,
  side            text[] NOT NULL,
  order_type      text[] NOT NULL,
  tif             text[] NOT NULL,
  qty             double precision[] NOT NULL,
  filled_qty      double precision[] NOT NULL,
  -- NULL elements where orders has NULL
  limit_price     double precision[] NOT NULL,
  stop_price      double precision[] NOT NULL,
  status          text[] NOT NULL,
  reason          text[] NOT NULL,
  revision        integer[] NOT NULL,
  signal_key      text[] NOT NULL,
  created_at      timestamptz[] NOT NULL,
  updated_at      timestamptz[] NOT NULL,
  PRIMARY KEY (run_id, first_seq),
  CHECK (cardinality(client_order_id) = orders AND cardinality(role) = orders AND cardinality(side) = orders
     AND cardinality(order_type) = orders AND cardinality(tif) = orders AND cardinality(qty) = orders
     AND cardinality(filled_qty) = orders AND cardinality(limit_price) = orders AND cardinality(stop_price) = orders
     AND cardinality(status) = orders AND cardinality(reason) = orders AND cardinality(revision) = orders
     AND cardinality(signal_key) = orders AND cardinality(created_at) = orders AND cardinality(updated_at) = orders)
);
-- Out of line uncompressed, as order_event_chunks: compressing costs more than writing the bytes.
ALTER TABLE order_chunks
  ALTER COLUMN client_order_id SET STORAGE EXTERNAL, ALTER COLUMN role SET STORAGE EXTERNAL,
  ALTER COLUMN side SET STORAGE EXTERNAL, ALTER COLUMN order_type SET STORAGE EXTERNAL,
  ALTER COLUMN tif SET STORAGE EXTERNAL, ALTER COLUMN qty SET STORAGE EXTERNAL,
  ALTER COLUMN filled_qty SET STORAGE EXTERNAL, ALTER COLUMN limit_price SET STORAGE EXTERNAL,
  ALTER COLUMN stop_price SET STORAGE EXTERNAL, ALTER COLUMN status SET STORAGE EXTERNAL,
  ALTER COLUMN reason SET STORAGE EXTERNAL, ALTER COLUMN revision SET STORAGE EXTERNAL,
  ALTER COLUMN signal_key SET STORAGE EXTERNAL, ALTER COLUMN created_at SET STORAGE EXTERNAL,
  ALTER COLUMN updated_at SET STORAGE EXTERNAL;

-- Every run's orders, one row per order, whichever way they were stored.
CREATE VIEW run_orders AS
  SELECT run_id, client_order_id, role, side, order_type, tif, qty, filled_qty, limit_price, stop_price, status, reason,
         revision, signal_key, created_at, updated_at
    FROM orders
  UNION ALL
  SELECT c.run_id, u.client_order_id, u.role, u.side, u.order_type, u.tif, u.qty, u.filled_qty, u.limit_price, u.stop_price,
         u.status, u.reason, u.revision, u.signal_key, u.created_at, u.updated_at
    FROM order_chunks c,
         unnest(c.client_order_id, c.role, c.side, c.order_type, c.tif, c.qty, c.filled_qty, c.limit_price, c.stop_price,
                c.status, c.reason, c.revision, c.signal_key, c.created_at, c.updated_at)
           AS u(client_order_id, role, side, order_type, tif, qty, filled_qty, limit_price, stop_price, status, reason,
                revision, signal_key, created_at, updated_at);

-- Deleting a run deletes its order chunks too.
CREATE OR REPLACE FUNCTION strategy_run_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM order_events WHERE run_id = OLD.run_id;
  DELETE FROM order_event_chunks WHERE run_id = OLD.run_id;
  DELETE FROM orders WHERE run_id = OLD.run_id;
  DELETE FROM order_chunks WHERE run_id = OLD.run_id;
  DELETE FROM fills WHERE run_id = OLD.run_id;
  DELETE FROM trades WHERE run_id = OLD.run_id;
  DELETE FROM equity_chunks WHERE run_id = OLD.run_id;
  DELETE FROM equity_change_chunks WHERE run_id = OLD.run_id;
  DELETE FROM equity_points WHERE run_id = OLD.run_id;
  RETURN OLD;
END $$;
