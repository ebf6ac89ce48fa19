-- Progress of each SMC study instance (analyzer.smc in config/settings.yaml; analyzer/src/smc-runner.ts).
--   window_spec     the configured window as text ('from:<ISO>' or 'last:<N>'); when it changes the
--                   first bar is resolved again
--   first_bar_time  the window's first bar (inclusive bound): a `from` date as given, or for `last: N`
--                   the N-th last stored bar when the instance first ran. Kept so a restart never moves
--                   the window (the library's answer depends on where the data starts). NULL: `last: N`
--                   with no stored bar yet.
--   through         the last closed bar the stored smc_events / zones rows reflect
CREATE TABLE smc_study_state (
  study_id       text NOT NULL,
  contract_id    text NOT NULL,
  timeframe      text NOT NULL,
  window_spec    text NOT NULL,
  first_bar_time timestamptz,
  through        timestamptz,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (study_id, contract_id, timeframe)
);
