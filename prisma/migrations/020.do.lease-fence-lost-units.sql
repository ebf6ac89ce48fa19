-- Lease fencing, the refusal's units (docs/DEPLOY.md "Standbys and scale-out"): lease_fence_check (migration
-- 018) now names the units it refused in DETAIL as a JSON array of strings, so a holder refused on a write of
-- several contracts stops exactly those (fence-check.ts lostUnits) instead of retrying the write or reading
-- the human message. Same locks, same check, same SQLSTATE BSF01; the fast path (every unit still at its
-- epoch) is unchanged.
CREATE OR REPLACE FUNCTION lease_fence_check(p_service text, p_units text[], p_epochs bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  lost text;
  lost_units text;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(1651704064, hashtext(p_service || '|' || u)) FROM unnest(p_units) AS u;
  IF (SELECT count(*) FROM unnest(p_units, p_epochs) AS c(unit, epoch)
        JOIN lease_epochs e ON e.service = p_service AND e.unit = c.unit AND e.epoch = c.epoch) = cardinality(p_units) THEN
    RETURN;
  END IF;
  SELECT string_agg(format('%s (held epoch %s, now %s)', c.unit, coalesce(c.epoch::text, 'none'), coalesce(e.epoch::text, 'none')), ', '),
         json_agg(c.unit)::text
    INTO lost, lost_units
    FROM unnest(p_units, p_epochs) AS c(unit, epoch)
    LEFT JOIN lease_epochs e ON e.service = p_service AND e.unit = c.unit
   WHERE e.epoch IS DISTINCT FROM c.epoch OR c.epoch IS NULL;
  RAISE EXCEPTION 'lease fence: % no longer holds %', p_service, lost
    USING ERRCODE = 'BSF01', DETAIL = lost_units, HINT = 'another instance took the lease; it resumes from what is stored';
END $$;
