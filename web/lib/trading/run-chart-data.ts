// What the run page's charts draw, from the API's wire rows (pure, so it is unit-tested): equity and
// drawdown lines, the price chart's entry/exit markers, and the SL/TP lines of the open position.
import type { WireEquityPoint, WireFill, WireOrder, WirePosition } from '../api/trading-schemas.ts';

export interface LinePoint {
  /** Epoch seconds (lightweight-charts' UTCTimestamp). */
  readonly time: number;
  readonly value: number;
}

export interface FillMarker {
  readonly time: number;
  readonly position: 'belowBar' | 'aboveBar';
  readonly shape: 'arrowUp' | 'arrowDown';
  readonly color: string;
  readonly text: string;
  /** An entry (opens or adds) or an exit (stop loss, take profit, exit, time stop, flatten). */
  readonly kind: 'entry' | 'exit';
}

export interface PriceLine {
  readonly price: number;
  readonly kind: 'stop_loss' | 'take_profit';
  readonly title: string;
}

const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/** Equity (currency) per point; the chart's precision is enough for display, the tables show exact text. */
export function equityLine(points: readonly WireEquityPoint[]): LinePoint[] {
  return points.map((p) => ({ time: seconds(p.time), value: Number(p.equity) }));
}

/** Drawdown as a negative amount below the running peak (an underwater curve). */
export function drawdownLine(points: readonly WireEquityPoint[]): LinePoint[] {
  return points.map((p) => ({ time: seconds(p.time), value: -Number(p.drawdown) }));
}

const ENTRY_ROLES = new Set(['entry']);

/** Index of the last of the ascending `times` at or before `ms`, or -1. */
function barAtOrBefore(times: readonly number[], ms: number): number {
  let lo = 0;
  let hi = times.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] as number) <= ms) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * One marker per fill, on the candle it filled in (the last bar starting at or before it; `barTimes`:
 * the chart's bar starts, epoch ms, ascending; fills before the first are left out): buys below as up
 * arrows, sells above as down arrows; manual fills count as entries.
 */
export function fillMarkers(fills: readonly WireFill[], barTimes: readonly number[]): FillMarker[] {
  const markers: FillMarker[] = [];
  for (const f of fills) {
    const bar = barAtOrBefore(barTimes, Date.parse(f.time));
    if (bar < 0) continue;
    const kind = f.role === null || ENTRY_ROLES.has(f.role) || f.role === 'manual' ? 'entry' : 'exit';
    const buy = f.side === 'buy';
    markers.push({
      time: Math.floor((barTimes[bar] as number) / 1000),
      position: buy ? 'belowBar' : 'aboveBar',
      shape: buy ? 'arrowUp' : 'arrowDown',
      color: kind === 'entry' ? (buy ? '#16a34a' : '#dc2626') : '#6b7280',
      text: `${kind === 'entry' ? (buy ? 'Long' : 'Short') : exitLabel(f.role)} ${f.qty} @ ${f.price}`,
      kind,
    });
  }
  // lightweight-charts wants markers in time order.
  return markers.sort((a, b) => a.time - b.time);
}

function exitLabel(role: string | null): string {
  switch (role) {
    case 'stop_loss':
      return 'SL';
    case 'take_profit':
      return 'TP';
    case 'time_stop':
      return 'Time stop';
    case 'flatten':
      return 'Flatten';
    default:
      return 'Exit';
  }
}

const WORKING = new Set(['new', 'working', 'partially_filled']);

/** The working stop-loss and take-profit orders while a position is open (none when flat). */
export function openPositionLines(positions: readonly WirePosition[], orders: readonly WireOrder[]): PriceLine[] {
  if (!positions.some((p) => p.qty !== 0)) return [];
  const lines: PriceLine[] = [];
  for (const o of orders) {
    if (!WORKING.has(o.status)) continue;
    if (o.role === 'stop_loss' && o.stop_price !== null)
      lines.push({ price: o.stop_price, kind: 'stop_loss', title: `SL ${o.stop_price}` });
    if (o.role === 'take_profit' && o.limit_price !== null) {
      lines.push({ price: o.limit_price, kind: 'take_profit', title: `TP ${o.limit_price}` });
    }
  }
  return lines;
}
