// Performance marks around the first drawing of history: 'chart-started' when the chart has mounted
// and asks for its bars (navigation → here is scripts and hydration; 'chart-adopted' too when it took
// the chart the boot script drew before, chart-boot.ts, whose marks are then the next two), 'bars-received' when the
// /api/ohlc body has arrived, 'bars-painted' in the animation frame after setData (lightweight-charts draws in
// the frame it scheduled, which runs before ours), and the measure between them.
export const CHART_STARTED = 'chart-started';
export const BARS_RECEIVED = 'bars-received';
export const BARS_PAINTED = 'bars-painted';
export const BARS_FIRST_PAINT = 'bars-first-paint';
/** The frame after every bar is in the series: a long history's first frame draws from its last bars
 * only (candle-chart.ts), the rest are set in the task after it. */
export const BARS_ALL_SET = 'bars-all-set';
/** bars-received → bars-all-set. */
export const BARS_ALL_SET_MEASURE = 'bars-received-to-all-set';
/** The chart component took over the chart the boot script drew (chart-boot.ts). */
export const CHART_ADOPTED = 'chart-adopted';

export function markChartStarted(): void {
  if (typeof performance === 'undefined' || performance.getEntriesByName(CHART_STARTED).length > 0) return; // the first chart only
  performance.mark(CHART_STARTED);
}

export function markChartAdopted(): void {
  if (typeof performance === 'undefined' || performance.getEntriesByName(CHART_ADOPTED).length > 0) return;
  performance.mark(CHART_ADOPTED);
}

export function markBarsReceived(): void {
  performance.clearMarks(BARS_RECEIVED);
  performance.mark(BARS_RECEIVED);
}

export function markBarsPaintedNextFrame(barCount: number): void {
  if (typeof requestAnimationFrame !== 'function') return; // not in a browser
  requestAnimationFrame(() => {
    performance.mark(BARS_PAINTED, { detail: { barCount } });
    performance.measure(BARS_FIRST_PAINT, { start: BARS_RECEIVED, end: BARS_PAINTED, detail: { barCount } });
  });
}

export function markAllBarsSetNextFrame(barCount: number): void {
  if (typeof requestAnimationFrame !== 'function') return;
  requestAnimationFrame(() => {
    performance.mark(BARS_ALL_SET, { detail: { barCount } });
    performance.measure(BARS_ALL_SET_MEASURE, { start: BARS_RECEIVED, end: BARS_ALL_SET, detail: { barCount } });
  });
}
