// What a clean run of the chaos stream stores: the market's own 1m bars, their 5m rollup, and the
// strategies' signals computed in one batch over those bars.
import {
  BarAggregator,
  barTradePath,
  type ContractBar,
  findTrendStarts,
  type OhlcBar,
  parseTimeframe,
  SessionCalendar,
  strategyById,
  UTC_CALENDAR,
} from '../../core/src/index.ts';
import type { ChaosMarket } from './chaos-market.ts';

export interface ExpectedState {
  readonly bars: Map<string, ContractBar>;
  readonly signals: Set<string>;
}

export function expectedState(market: ChaosMarket, from: number, to: number): ExpectedState {
  const minutes = market.market.minuteBars(market.contract, from, to);
  const calendar = new SessionCalendar(UTC_CALENDAR);
  const agg = new BarAggregator({ timeframes: ['1m', '5m'].map((t) => parseTimeframe(t)), calendarFor: () => calendar, graceMs: 0 });
  for (const m of minutes) for (const t of barTradePath(market.contract.id, m, m.time, m.time + 60_000)) agg.addTrade(t, t.time);
  agg.advance(to);
  const bars = new Map<string, ContractBar>();
  for (const b of agg.drain()) if (b.isClosed) bars.set(`${b.unit}|${b.value}|${b.time}`, b);
  return { bars, signals: signalsOf(minutes) };
}

/** Signals as comparable strings (analyzer, bar time, type, rule): the same form as stored ones. */
export function signalsOf(minutes: readonly OhlcBar[]): Set<string> {
  const out = new Set<string>();
  for (const s of findTrendStarts(minutes)) {
    out.add(`trend|${new Date(s.barTime).toISOString()}|${s.type === 'up' ? 'uptrend_start' : 'downtrend_start'}|${s.rule}`);
  }
  const ema = strategyById('ema_cross_rsi').create({ fast: 5, slow: 12 });
  for (const bar of minutes)
    for (const s of ema.update(bar)) out.add(`ema|${new Date(s.bar.time).toISOString()}|${s.type}|${String(s.details.rule)}`);
  return out;
}
