-- Lease fencing (docs/DEPLOY.md "Standbys and scale-out"). A lease is a session advisory lock; when its
-- holder dies, a flush it had already sent on a pool connection can still commit after a standby took the
-- lease and read the stored tail (duplicate ticks, bars applied twice). Each take of a fenced unit bumps its
-- epoch here (an UPDATE, which waits for every transaction holding the row FOR SHARE); every write of the
-- holder first locks its units' rows FOR SHARE and checks they still carry the epochs it took. So a write
-- either commits before the taker's bump returns (and the taker reads it) or fails (its data is the
-- taker's to resume).
CREATE TABLE lease_epochs (
  service  text NOT NULL,
  unit     text NOT NULL,
  epoch    bigint NOT NULL,
  taken_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (service, unit)
);

-- One statement per fenced write: raises SQLSTATE BSF01 naming every unit whose epoch is not the one given
-- (taken by another instance since, or never taken); on success the rows stay share-locked until the
-- caller's transaction ends.
CREATE FUNCTION lease_fence_check(p_service text, p_units text[], p_epochs bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  lost text;
BEGIN
  SELECT string_agg(format('%s (held epoch %s, now %s)', c.unit, coalesce(c.epoch::text, 'none'), coalesce(e.epoch::text, 'none')), ', ')
    INTO lost
    FROM unnest(p_units, p_epochs) AS c(unit, epoch)
    LEFT JOIN (SELECT l.unit, l.epoch FROM lease_epochs l WHERE l.service = p_service AND l.unit = ANY (p_units) FOR SHARE) e
      ON e.unit = c.unit
   WHERE e.epoch IS DISTINCT FROM c.epoch OR c.epoch IS NULL;
  IF lost IS NOT NULL THEN
    RAISE EXCEPTION 'lease fence: % no longer holds %', p_service, lost
      USING ERRCODE = 'BSF01', HINT = 'another instance took the lease; it resumes from what is stored';
  END IF;
END $$;
