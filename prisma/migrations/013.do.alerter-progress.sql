-- The alerter's position in the transaction history (issue #15, alerts lost under chaos). Every bar or
-- signal row written by a transaction older than evaluated_xmin (pg_snapshot_xmin of a snapshot the
-- alerter read) that is known at or before its watermark has been evaluated. A row written (or a bar
-- rewritten) by a later transaction behind the watermark — while the alerter was down or its LISTEN
-- connection was lost, so its NOTIFY was never read — is found at the next start by its xmin and
-- evaluated again from its instant (alerter/src/alert-evaluator.ts, docs/ALERTS.md). One row.
CREATE TABLE alerter_progress (
  id             boolean PRIMARY KEY DEFAULT true CHECK (id),
  evaluated_xmin xid8 NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
