-- Alerts (issue #15): rules, the watchlist they apply to, where alerts go, the alerts themselves and
-- their deliveries. The alerter stores an alert, its alert_deliveries rows and their queue jobs in one
-- transaction, so a committed alert is always delivered (at least once; the receiver sees one
-- idempotency key per alert and destination, so exactly once as it sees them).

-- A rule: one entry of config/rules/*.yaml (source 'file', name unique) or created through the API.
CREATE TABLE rules (
  rule_id     bigserial PRIMARY KEY,
  name        text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,79}$'),
  description text NOT NULL DEFAULT '',
  rule_type   text NOT NULL CHECK (rule_type IN ('signal', 'price_cross', 'indicator', 'confluence', 'volume_spike')),
  -- the rule as YAML (one document: the rule's keys), validated by core/src/alerts/rule-schema.ts
  config_yaml text NOT NULL,
  -- 'file': loaded from config/rules at start (a file's rule replaces its row); 'api': created by a user
  source      text NOT NULL DEFAULT 'api' CHECK (source IN ('file', 'api')),
  is_active   boolean NOT NULL DEFAULT true,
  priority    integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Contracts the rules apply to; adding one makes the ingester subscribe (NOTIFY watchlist_changed).
CREATE TABLE watchlist (
  contract_id text PRIMARY KEY,
  added_at    timestamptz NOT NULL DEFAULT now(),
  is_active   boolean NOT NULL DEFAULT true,
  notes       text NOT NULL DEFAULT ''
);

-- Where alerts are sent. config holds the non-secret settings (webhook: url, format plain|slack|discord;
-- telegram: chat_id; email: to, from, host, port, secure, user); secret the HMAC secret / bot token /
-- SMTP password: written through the API, never answered, never logged.
CREATE TABLE alert_destinations (
  destination_id bigserial PRIMARY KEY,
  name           text NOT NULL UNIQUE,
  kind           text NOT NULL CHECK (kind IN ('webhook', 'telegram', 'email')),
  config         jsonb NOT NULL DEFAULT '{}'::jsonb,
  secret         text,
  -- alerts below this severity are not sent here
  min_severity   text NOT NULL DEFAULT 'info' CHECK (min_severity IN ('info', 'warning', 'critical')),
  is_active      boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- One alert: what a rule produced at one bar (core/src/alerts/alert.ts).
CREATE TABLE alerts (
  alert_id     bigserial PRIMARY KEY,
  -- <rule>|<contract>|<timeframe>|<bar time ISO>|<setup>: replaying the same events never stores it twice
  alert_key    text NOT NULL UNIQUE,
  rule_id      bigint REFERENCES rules (rule_id) ON DELETE SET NULL,
  rule_name    text NOT NULL,
  rule_type    text NOT NULL,
  contract_id  text NOT NULL,
  timeframe    text NOT NULL,
  -- what was seen: a signal type (uptrend_start), cross_up/cross_down, condition, volume_spike
  setup_type   text NOT NULL,
  severity     text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  direction    text NOT NULL DEFAULT 'none' CHECK (direction IN ('long', 'short', 'none')),
  -- open time of the bar the alert is about; known_at: close time of the bar that made it knowable
  bar_time     timestamptz NOT NULL,
  known_at     timestamptz NOT NULL,
  entry_price  double precision,
  stop_loss    double precision,
  target       double precision,
  confidence   double precision NOT NULL CHECK (confidence BETWEEN 0 AND 1),
  -- the bar / indicator / signal values that triggered it
  details      jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- /trends at that bar
  link         text NOT NULL,
  is_read      boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerts_created_idx ON alerts (created_at DESC, alert_id DESC);
CREATE INDEX alerts_contract_idx ON alerts (contract_id, created_at DESC);
CREATE INDEX alerts_unread_idx ON alerts (created_at DESC) WHERE NOT is_read;

-- One delivery per (alert, destination): its state as the queue worker last left it.
CREATE TABLE alert_deliveries (
  alert_id        bigint NOT NULL REFERENCES alerts (alert_id) ON DELETE CASCADE,
  destination_id  bigint NOT NULL REFERENCES alert_destinations (destination_id) ON DELETE CASCADE,
  -- sent to the receiver with every attempt (header Idempotency-Key): the same for every retry
  idempotency_key text NOT NULL UNIQUE,
  status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'retrying', 'delivered', 'dead')),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error      text,
  last_attempt_at timestamptz,
  delivered_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (alert_id, destination_id)
);
CREATE INDEX alert_deliveries_status_idx ON alert_deliveries (status) WHERE status IN ('retrying', 'dead');

-- Every attempt of a delivery (what the receiver answered), for the API's delivery history.
CREATE TABLE alert_delivery_attempts (
  alert_id       bigint NOT NULL,
  destination_id bigint NOT NULL,
  attempt        integer NOT NULL CHECK (attempt > 0),
  attempted_at   timestamptz NOT NULL DEFAULT now(),
  ok             boolean NOT NULL,
  -- HTTP status, or NULL (SMTP, connection error, timeout)
  status_code    integer,
  error          text,
  duration_ms    double precision NOT NULL,
  PRIMARY KEY (alert_id, destination_id, attempt),
  FOREIGN KEY (alert_id, destination_id) REFERENCES alert_deliveries (alert_id, destination_id) ON DELETE CASCADE
);
