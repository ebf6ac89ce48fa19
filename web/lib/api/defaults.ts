// Defaults of the /api/* routes that the browser needs too (without pulling in the route registry).
export const OHLC_DEFAULT_LIMIT = 2000;
export const SIGNALS_DEFAULT_LIMIT = 5000;
export const INDICATORS_DEFAULT_LIMIT = 2000;
export const DEFAULT_TREND_ANALYZER = 'cus_cds_trend_finder';
/** The chart's moving-average overlays. */
export const DEFAULT_INDICATORS = ['ema_20', 'ema_50'] as const;
/** SMC rows per request: a 10,000-bar 5m chart holds a few thousand gaps, blocks and swings. */
export const SMC_DEFAULT_LIMIT = 20_000;
