-- Trend starts labelled by hand on /trends, to score detectors against a trader's own eye.
-- One label per bar and author: labelling a bar again replaces (or, from the page, removes) it.
CREATE TABLE trend_labels (
  label_id    bigserial PRIMARY KEY,
  contract_id text NOT NULL,
  timeframe   text NOT NULL,
  "timestamp" timestamptz NOT NULL,                -- the labelled bar
  label_type  text NOT NULL CHECK (label_type IN ('uptrend_start', 'downtrend_start')),
  author      text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT trend_labels_unique_bar UNIQUE (contract_id, timeframe, "timestamp", author)
);
