// The providers: section of config/settings.yaml: each market-data provider's endpoints and credentials.
import { z } from 'zod';

export const providerSettingsSchema = z
  .strictObject({
    projectx: z
      .strictObject({
        api_url: z.url().default('https://api.topstepx.com'),
        market_hub_url: z.url().default('https://rtc.topstepx.com/hubs/market'),
        username: z.string().min(1).optional(),
        api_key: z.string().min(1).optional(),
        /** Tokens last 24 h; refreshed (Auth/validate) this long after they were issued. */
        token_refresh_ms: z
          .number()
          .int()
          .positive()
          .default(20 * 3_600_000),
        /** ProjectX `live` flag for history and contract search (false = the sim/eval data feed). */
        live: z.boolean().default(false),
      })
      .prefault({}),
    binance: z
      .strictObject({
        rest_url: z.url().default('https://api.binance.com'),
        ws_url: z.url().default('wss://stream.binance.com:9443'),
        /** Binance cuts connections at 24 h: a new one is opened (and overlapped) this long after connecting. */
        rotate_after_ms: z
          .number()
          .int()
          .positive()
          .default(23 * 3_600_000),
      })
      .prefault({}),
    coinbase: z
      .strictObject({
        rest_url: z.url().default('https://api.coinbase.com'),
        ws_url: z.url().default('wss://advanced-trade-ws.coinbase.com'),
      })
      .prefault({}),
    alpaca: z
      .strictObject({
        /** Alpaca Market Data v2 REST (ALPACA_DATA_URL). */
        data_url: z.url().default('https://data.alpaca.markets'),
        /** WebSocket base (ALPACA_STREAM_URL); the feed is appended: <stream_url>/iex. */
        stream_url: z.url().default('wss://stream.data.alpaca.markets/v2'),
        /** iex: free, one exchange; sip: every US exchange (paid plan). */
        feed: z.enum(['iex', 'sip', 'delayed_sip']).default('iex'),
        /** Corporate-action adjustment of REST bars: raw matches the live trades. */
        adjustment: z.enum(['raw', 'split', 'dividend', 'all']).default('raw'),
        /** ALPACA_KEY_ID / ALPACA_SECRET_KEY (in .env); never logged. */
        key_id: z.string().min(1).optional(),
        secret_key: z.string().min(1).optional(),
      })
      .prefault({}),
    replay: z
      .strictObject({
        file: z.string().optional(),
        /** Stream time per wall time; .inf in YAML (or REPLAY_SPEED=Infinity) replays as fast as possible. */
        speed: z.union([z.number().positive(), z.literal(Infinity)]).default(60),
      })
      .prefault({}),
  })
  .prefault({});
