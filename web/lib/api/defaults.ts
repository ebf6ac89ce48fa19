// Defaults of the /api/* routes that the browser needs too (without pulling in the route registry).
export const OHLC_DEFAULT_LIMIT = 2000;
export const SIGNALS_DEFAULT_LIMIT = 5000;
export const INDICATORS_DEFAULT_LIMIT = 2000;
export const DEFAULT_TREND_ANALYZER = 'cus_cds_trend_finder';
/** The chart's moving-average overlays. */
export const DEFAULT_INDICATORS = ['ema_20', 'ema_50'] as const;
