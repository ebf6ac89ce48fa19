-- Trading (issue #14): strategies, their runs (backtest or paper), and everything a run did, as the
-- engine (core/src/trading, docs/TRADING.md) records it. Money is numeric(30,8): the engine's exact
-- integer units of 10⁻⁸ written with formatMoney, so sums in SQL are exact.

-- What a contract is worth per tick and how it is margined, for sizing and PnL (NULL: not configured;
-- a run's YAML may give its own instrument).
ALTER TABLE contracts
  ADD COLUMN instrument_kind text CHECK (instrument_kind IN ('future', 'crypto', 'stock')),
  ADD COLUMN tick_value      double precision CHECK (tick_value > 0),     -- money per tick per contract (MES 1.25)
  ADD COLUMN multiplier      double precision CHECK (multiplier > 0),     -- money per point per contract (MES 5)
  ADD COLUMN qty_step        double precision CHECK (qty_step > 0),       -- smallest quantity (crypto 0.00001)
  ADD COLUMN initial_margin  double precision CHECK (initial_margin >= 0);

-- A strategy: a run config (config/strategies/*.yaml, source 'file', or created through the API).
CREATE TABLE strategies (
  strategy_id text PRIMARY KEY CHECK (strategy_id ~ '^[a-z0-9][a-z0-9_-]*$'),
  description text NOT NULL DEFAULT '',
  -- the YAML as written; parsed by parseStrategyRunConfig
  config_yaml text NOT NULL,
  source      text NOT NULL DEFAULT 'api' CHECK (source IN ('file', 'api')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A parameter sweep: many backtest runs of one strategy over a grid of parameters.
CREATE TABLE backtest_sweeps (
  sweep_id    bigserial PRIMARY KEY,
  strategy_id text REFERENCES strategies (strategy_id) ON DELETE SET NULL,
  -- e.g. {"fast": [10, 15, 20], "slow": [40, 50]}
  grid        jsonb NOT NULL,
  status      text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz
);

-- One execution of a strategy: a backtest over a date range, or a paper run going forward.
CREATE TABLE strategy_runs (
  run_id           bigserial PRIMARY KEY,
  strategy_id      text REFERENCES strategies (strategy_id) ON DELETE SET NULL,
  kind             text NOT NULL CHECK (kind IN ('backtest', 'paper')),
  status           text NOT NULL DEFAULT 'created'
                   CHECK (status IN ('created', 'running', 'stopped', 'halted', 'completed', 'failed')),
  -- the parsed run config as it ran (a later edit of the strategy does not change a past run)
  config           jsonb NOT NULL,
  contract_id      text NOT NULL,
  timeframe        text NOT NULL,
  fill_model       text NOT NULL CHECK (fill_model IN ('bar', 'tick')),
  range_from       timestamptz,
  range_to         timestamptz,
  starting_capital numeric(30, 8) NOT NULL,
  -- paper: the time of the last input the stored rows reflect (a restart replays up to it, then goes on)
  watermark        timestamptz,
  -- backtest: share of the bars done, 0..1
  progress         double precision NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
  halt_reason      text,
  halt_detail      text,
  error            text,
  -- metricsReport (net profit, return, CAGR, drawdown, Sharpe/Sortino, trades…), latest or final
  report           jsonb,
  sweep_id         bigint REFERENCES backtest_sweeps (sweep_id) ON DELETE SET NULL,
  -- the sweep's parameters of this run
  params           jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  ended_at         timestamptz,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX strategy_runs_strategy_idx ON strategy_runs (strategy_id, created_at DESC);
CREATE INDEX strategy_runs_sweep_idx ON strategy_runs (sweep_id) WHERE sweep_id IS NOT NULL;

-- Commands a run received (manual orders, cancel, replace, emergency stop), stored before they are
-- applied: they are inputs of the run, replayed on restart beside its bars and signals.
CREATE TABLE run_commands (
  run_id     bigint NOT NULL REFERENCES strategy_runs (run_id) ON DELETE CASCADE,
  seq        integer NOT NULL CHECK (seq > 0),
  -- the input's time (the engine's clock)
  at         timestamptz NOT NULL,
  command    jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, seq)
);

-- Orders: one row per order, its latest state (the engine's OrderRecord).
CREATE TABLE orders (
  run_id          bigint NOT NULL REFERENCES strategy_runs (run_id) ON DELETE CASCADE,
  -- <run>:<signal key>:<leg>, <run>:trip<n>:time_stop, <run>:halt:flatten, or a manual order's own id
  client_order_id text NOT NULL,
  role            text NOT NULL CHECK (role IN ('entry', 'exit', 'stop_loss', 'take_profit', 'time_stop', 'flatten', 'manual')),
  side            text NOT NULL CHECK (side IN ('buy', 'sell')),
  order_type      text NOT NULL CHECK (order_type IN ('market', 'limit', 'stop', 'stop_limit')),
  tif             text NOT NULL CHECK (tif IN ('gtc', 'day')),
  qty             double precision NOT NULL,
  filled_qty      double precision NOT NULL DEFAULT 0,
  limit_price     double precision,
  stop_price      double precision,
  status          text NOT NULL CHECK (status IN ('new', 'working', 'partially_filled', 'filled', 'cancelled', 'rejected')),
  reason          text,
  revision        integer NOT NULL DEFAULT 0,
  signal_key      text,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (run_id, client_order_id)
);

-- Every change of every order, in the engine's order (seq): the history behind orders.
CREATE TABLE order_events (
  run_id          bigint NOT NULL REFERENCES strategy_runs (run_id) ON DELETE CASCADE,
  seq             bigint NOT NULL,
  "time"          timestamptz NOT NULL,
  client_order_id text NOT NULL,
  status          text NOT NULL,
  filled_qty      double precision NOT NULL,
  qty             double precision NOT NULL,
  limit_price     double precision,
  stop_price      double precision,
  reason          text,
  revision        integer NOT NULL,
  PRIMARY KEY (run_id, seq)
);

CREATE TABLE fills (
  run_id          bigint NOT NULL REFERENCES strategy_runs (run_id) ON DELETE CASCADE,
  -- <client_order_id>#<n>: a replayed fill is recognised as already stored
  fill_id         text NOT NULL,
  client_order_id text NOT NULL,
  "time"          timestamptz NOT NULL,
  side            text NOT NULL CHECK (side IN ('buy', 'sell')),
  qty             double precision NOT NULL CHECK (qty > 0),
  price           double precision NOT NULL,
  fee             numeric(30, 8) NOT NULL,
  -- PnL this fill closed, before fees
  realized_pnl    numeric(30, 8) NOT NULL,
  PRIMARY KEY (run_id, fill_id)
);
CREATE INDEX fills_time_idx ON fills (run_id, "time");

-- Net position per run and contract after the latest fill.
CREATE TABLE positions (
  run_id       bigint NOT NULL REFERENCES strategy_runs (run_id) ON DELETE CASCADE,
  contract_id  text NOT NULL,
  qty          double precision NOT NULL,
  avg_price    double precision,
  realized_pnl numeric(30, 8) NOT NULL,
  updated_at   timestamptz NOT NULL,
  PRIMARY KEY (run_id, contract_id)
);

-- Round trips (flat → flat, or up to a reversal), numbered from the run's start.
CREATE TABLE trades (
  run_id      bigint NOT NULL REFERENCES strategy_runs (run_id) ON DELETE CASCADE,
  trade_no    integer NOT NULL CHECK (trade_no > 0),
  side        text NOT NULL CHECK (side IN ('long', 'short')),
  entry_time  timestamptz NOT NULL,
  exit_time   timestamptz NOT NULL,
  qty         double precision NOT NULL,
  entry_price double precision NOT NULL,
  exit_price  double precision NOT NULL,
  -- net of every fee of the round trip
  pnl         numeric(30, 8) NOT NULL,
  fees        numeric(30, 8) NOT NULL,
  bars        integer NOT NULL,
  PRIMARY KEY (run_id, trade_no)
);

-- The account after each closed bar. No foreign key (a hypertable under TimescaleDB): deleting a run
-- deletes its equity points explicitly.
CREATE TABLE equity_points (
  run_id         bigint NOT NULL,
  "time"         timestamptz NOT NULL,
  cash           numeric(30, 8) NOT NULL,
  equity         numeric(30, 8) NOT NULL,
  position_value numeric(30, 8) NOT NULL,
  unrealized_pnl numeric(30, 8) NOT NULL,
  realized_pnl   numeric(30, 8) NOT NULL,
  fees           numeric(30, 8) NOT NULL,
  margin_used    numeric(30, 8) NOT NULL,
  position       double precision NOT NULL,
  PRIMARY KEY (run_id, "time")
);

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    PERFORM create_hypertable('equity_points', 'time', chunk_time_interval => interval '365 days',
      migrate_data => true, if_not_exists => true, create_default_indexes => false);
  END IF;
END $$;
