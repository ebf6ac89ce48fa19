-- Retractions (issue #15 gap): a signal the analyzer withdraws (a closed bar corrected after it was stored;
-- the re-run from that bar no longer finds it) after the alerter delivered an alert on it. The analyzer
-- records every signal it deletes here, in the delete's transaction, and NOTIFYs signals_withdrawn; the
-- alerter judges each withdrawal once the analyzer's re-run has passed the signal's trigger bar (an
-- identical signal stored again is no withdrawal) and, for the alerts on a signal really gone, marks the
-- alert retracted and enqueues one retraction per destination through the same outbox (alert_deliveries,
-- kind 'retraction'), all in one transaction (alerter/src/signal-retraction.ts, docs/ALERTS.md).
CREATE TABLE signal_withdrawals (
  withdrawal_id bigserial PRIMARY KEY,
  -- the deleted detected_signals row and its identity (detected_signals_unique_signal)
  signal_id     bigint NOT NULL,
  analyzer_id   text NOT NULL,
  contract_id   text NOT NULL,
  timeframe     text NOT NULL,
  "timestamp"   timestamptz NOT NULL,
  signal_type   text NOT NULL,
  -- the bar that made it knowable (details.trigger_time, else its bar): the re-run has judged it again
  -- once the target's watermark reaches this
  trigger_time  timestamptz NOT NULL,
  -- 'rerun': a corrected bar re-ran the target from it; 'reconcile': a recomputation at start disagreed
  cause         text NOT NULL CHECK (cause IN ('rerun', 'reconcile', 'recompute')),
  withdrawn_at  timestamptz NOT NULL DEFAULT now(),
  -- set by the alerter when it judged it; restored: an identical signal was stored again (nothing retracted)
  handled_at    timestamptz,
  restored      boolean
);
CREATE INDEX signal_withdrawals_pending_idx ON signal_withdrawals (analyzer_id, contract_id, timeframe) WHERE handled_at IS NULL;

-- An alert on a withdrawn signal: when, and by which withdrawal.
ALTER TABLE alerts
  ADD COLUMN retracted_at timestamptz,
  ADD COLUMN retracted_by bigint REFERENCES signal_withdrawals (withdrawal_id) ON DELETE SET NULL;
-- Signal and confluence alerts are about their signal's bar: found by it when the signal is withdrawn.
CREATE INDEX alerts_series_bar_idx ON alerts (contract_id, timeframe, bar_time);

-- The outbox holds both messages of an (alert, destination): the alert and, if it is withdrawn, its
-- retraction. 'held': a retraction waiting for the alert's delivery in flight (released when it is
-- delivered, cancelled when it dies or is cancelled); 'cancelled': an alert withdrawn before it was sent
-- (never sent: nothing to retract) or a retraction whose alert never reached the destination.
ALTER TABLE alert_delivery_attempts DROP CONSTRAINT alert_delivery_attempts_alert_id_destination_id_fkey;
ALTER TABLE alert_delivery_attempts DROP CONSTRAINT alert_delivery_attempts_pkey;
ALTER TABLE alert_deliveries DROP CONSTRAINT alert_deliveries_pkey;
ALTER TABLE alert_deliveries DROP CONSTRAINT alert_deliveries_status_check;
ALTER TABLE alert_deliveries
  ADD COLUMN kind text NOT NULL DEFAULT 'alert' CHECK (kind IN ('alert', 'retraction')),
  ADD CONSTRAINT alert_deliveries_status_check CHECK (status IN ('held', 'queued', 'retrying', 'delivered', 'dead', 'cancelled')),
  ADD PRIMARY KEY (alert_id, destination_id, kind);
ALTER TABLE alert_delivery_attempts
  ADD COLUMN kind text NOT NULL DEFAULT 'alert',
  ADD PRIMARY KEY (alert_id, destination_id, kind, attempt),
  ADD FOREIGN KEY (alert_id, destination_id, kind) REFERENCES alert_deliveries (alert_id, destination_id, kind) ON DELETE CASCADE;
-- Held retractions, released (or cancelled) by the alerter once their alert's delivery is final.
CREATE INDEX alert_deliveries_held_idx ON alert_deliveries (alert_id) WHERE status = 'held';
