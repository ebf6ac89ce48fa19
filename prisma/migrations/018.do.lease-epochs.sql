-- Lease fencing (docs/DEPLOY.md "Standbys and scale-out"). A lease is a session advisory lock; when its
-- holder dies, a flush it had already sent on a pool connection can still commit after a standby took the
-- lease and read the stored tail (duplicate ticks, bars applied twice). Each take of a fenced unit bumps its
-- epoch here, holding the unit's fence lock exclusively; every write of the holder first holds the fence
-- locks of its units shared and, after that, checks their epochs are still the ones it took. So a write
-- either commits before the taker's bump returns (the bump waits for it, and the taker reads it) or fails
-- (its data is the taker's to resume).
CREATE TABLE lease_epochs (
  service  text NOT NULL,
  unit     text NOT NULL,
  epoch    bigint NOT NULL,
  taken_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (service, unit)
);

-- The fence lock of a unit: a transaction-level advisory lock (1651704064 = 0x62730100, 'bs' and 1 << 8: a
-- namespace apart from the lease locks' 0x62730001.., which the holder's lease session holds; the unit's
-- key hashtext(service || '|' || unit)).
-- An advisory lock rather than FOR SHARE on the epoch row: a row lock writes the tuple (WAL, a dirty
-- page) on every flush; this one lives in the lock table only.

-- A take (after the lease's lock is won, before anything stored is read): waits for every write still
-- holding the unit's fence lock, then bumps the epoch; the lock goes with this statement's transaction.
CREATE FUNCTION lease_epoch_bump(p_service text, p_unit text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  taken bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(1651704064, hashtext(p_service || '|' || p_unit));
  INSERT INTO lease_epochs (service, unit, epoch) VALUES (p_service, p_unit, 1)
  ON CONFLICT (service, unit) DO UPDATE SET epoch = lease_epochs.epoch + 1, taken_at = now()
  RETURNING epoch INTO taken;
  RETURN taken;
END $$;

-- One statement per fenced write: holds its units' fence locks shared until the caller's transaction ends,
-- then (a statement of its own, so with a snapshot taken after the locks: a bump that committed meanwhile
-- is seen) counts the units still at the epochs given; when one is not, raises SQLSTATE BSF01 naming each
-- such unit (the message is built only then: the check runs on every flush).
CREATE FUNCTION lease_fence_check(p_service text, p_units text[], p_epochs bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  lost text;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(1651704064, hashtext(p_service || '|' || u)) FROM unnest(p_units) AS u;
  IF (SELECT count(*) FROM unnest(p_units, p_epochs) AS c(unit, epoch)
        JOIN lease_epochs e ON e.service = p_service AND e.unit = c.unit AND e.epoch = c.epoch) = cardinality(p_units) THEN
    RETURN;
  END IF;
  SELECT string_agg(format('%s (held epoch %s, now %s)', c.unit, coalesce(c.epoch::text, 'none'), coalesce(e.epoch::text, 'none')), ', ')
    INTO lost
    FROM unnest(p_units, p_epochs) AS c(unit, epoch)
    LEFT JOIN lease_epochs e ON e.service = p_service AND e.unit = c.unit
   WHERE e.epoch IS DISTINCT FROM c.epoch OR c.epoch IS NULL;
  RAISE EXCEPTION 'lease fence: % no longer holds %', p_service, lost
    USING ERRCODE = 'BSF01', HINT = 'another instance took the lease; it resumes from what is stored';
END $$;
