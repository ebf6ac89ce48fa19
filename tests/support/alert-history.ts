// Histories for the alert engine's live == batch tests and its benchmark: a contract's bars on several
// timeframes plus the signals the analyzer would have stored for them (its strategies run over the bars).
import type { OhlcBar } from '../../core/src/bar.ts';
import type { EngineEvent, SignalEvent } from '../../core/src/alerts/engine-events.ts';
import { strategyById } from '../../core/src/strategies/strategy-registry.ts';

/** Analyzer ids and the strategies they run (as in config/settings.yaml). */
const ANALYZERS = [
  { analyzerId: 'cus_cds_trend_finder', strategy: 'cus_cds_trend_finder', params: {} },
  { analyzerId: 'ema_cross', strategy: 'ema_cross', params: { fast: 20, slow: 50 } },
] as const;

/** The signals each analyzer stores for one series, each triggered by the bar that produced it. */
export function analyzerSignals(contractId: string, timeframe: string, bars: readonly OhlcBar[]): SignalEvent[] {
  const out: SignalEvent[] = [];
  for (const { analyzerId, strategy, params } of ANALYZERS) {
    const s = strategyById(strategy).create(params);
    for (const bar of bars) {
      for (const signal of s.update(bar)) {
        out.push({
          kind: 'signal',
          analyzerId,
          contractId,
          timeframe,
          barTime: signal.bar.time,
          triggerTime: bar.time,
          type: signal.type,
          price: signal.price,
          details: signal.details,
        });
      }
    }
  }
  return out;
}

/** Bars of a shorter timeframe rolled up into buckets of `bucketMs` aligned to the epoch (complete buckets only). */
export function rollUp(bars: readonly OhlcBar[], bucketMs: number): OhlcBar[] {
  const out: OhlcBar[] = [];
  let current: { time: number; open: number; high: number; low: number; close: number; volume: number } | undefined;
  for (const b of bars) {
    const time = Math.floor(b.time / bucketMs) * bucketMs;
    if (current === undefined || current.time !== time) {
      if (current !== undefined) out.push(current);
      current = { time, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume };
    } else {
      current.high = Math.max(current.high, b.high);
      current.low = Math.min(current.low, b.low);
      current.close = b.close;
      current.volume += b.volume;
    }
  }
  return out;
}

/** Every bar and signal of one contract's series, as engine events (in no particular order). */
export function seriesEvents(contractId: string, series: Readonly<Record<string, readonly OhlcBar[]>>): EngineEvent[] {
  return Object.entries(series).flatMap(([timeframe, bars]) => [
    ...bars.map((bar): EngineEvent => ({ kind: 'bar', contractId, timeframe, bar })),
    ...analyzerSignals(contractId, timeframe, bars),
  ]);
}
