-- A 1,000,000-bar backtest writes ~0.5 million order_events, orders, fills and trades rows (issue #14: the
-- whole run in ≤ 3 s). Each row's foreign key to strategy_runs fired a row trigger (a key-share lookup of
-- the run) that cost the database more than the row itself. The writers only ever write rows of a run they
-- hold (created first, never deleted while it runs), so the check caught nothing. Deleting a run still
-- deletes these rows (what ON DELETE CASCADE did), by a trigger on strategy_runs.
ALTER TABLE order_events DROP CONSTRAINT order_events_run_id_fkey;
ALTER TABLE orders DROP CONSTRAINT orders_run_id_fkey;
ALTER TABLE fills DROP CONSTRAINT fills_run_id_fkey;
ALTER TABLE trades DROP CONSTRAINT trades_run_id_fkey;

CREATE FUNCTION strategy_run_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM order_events WHERE run_id = OLD.run_id;
  DELETE FROM orders WHERE run_id = OLD.run_id;
  DELETE FROM fills WHERE run_id = OLD.run_id;
  DELETE FROM trades WHERE run_id = OLD.run_id;
  RETURN OLD;
END $$;

CREATE TRIGGER strategy_run_deleted AFTER DELETE ON strategy_runs FOR EACH ROW EXECUTE FUNCTION strategy_run_deleted();
