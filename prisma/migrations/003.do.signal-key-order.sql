-- detected_signals: one index fewer to maintain per signal (a backfill writes 100,000s of them).
-- The unique key now leads with (contract_id, timeframe, "timestamp"), so it also serves the
-- chart's lookups by contract and timeframe over a time range, which had an index of their own.
ALTER TABLE detected_signals
  DROP CONSTRAINT detected_signals_unique_signal,
  ADD CONSTRAINT detected_signals_unique_signal UNIQUE (contract_id, timeframe, "timestamp", analyzer_id, signal_type);
DROP INDEX detected_signals_lookup_idx;
