// Bar: one OHLCV candle of one contract and timeframe; the shape every strategy and indicator reads.
export interface OhlcBar {
  /** Bar open time, epoch milliseconds UTC. */
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}
