// The hand-over between the chart boot script (chart-boot.ts, run from the server-rendered HTML before
// React hydrates) and the chart component. The page's inline script opens the slot with what to draw;
// the boot draws the candles into the chart's container once the early answer (early-answer.ts) has
// landed, unless the component has mounted first; the component then adopts the drawn chart (no
// second chart, no second setData of the same candles) or, finding none, closes the slot so a late
// boot draws nothing. Each step is one synchronous check-and-set: the two cannot both draw.
import type { SessionCalendarSpec } from '@barstream/core';
import type { CandleChart } from './candle-chart.ts';
import { scriptJson } from './script-json.ts';

/** The global the inline script opens. */
const SLOT_KEY = '__barstreamChartBoot';
/** The boot's start, which the boot script leaves here: the async script may run before or after the
 * inline one, and whichever runs second starts it. */
const RUN_KEY = '__barstreamChartBootRun';
/** The chart's container carries this attribute: where the boot draws. */
export const BOOT_CONTAINER_ATTRIBUTE = 'data-chart-boot';

export interface ChartBootRequest {
  /** The early answer's path (the chart's first bars request). */
  readonly path: string;
  readonly timeframe: string;
  readonly calendar: SessionCalendarSpec | null;
}

export interface ChartBootSlot {
  readonly request: ChartBootRequest;
  /** waiting: nothing drawn yet; drawn: `chart` holds the candles; adopted / closed: the component's. */
  state: 'waiting' | 'drawn' | 'adopted' | 'closed';
  chart?: CandleChart;
  /** The newest candle drawn is a closed bar (the answer's `is_closed`). */
  lastClosed?: boolean;
}

/** The inline script that opens the slot for `request` (and starts a boot script already loaded). */
export function openBootSlotScript(request: ChartBootRequest): string {
  return `window.${SLOT_KEY}={request:${scriptJson(request)},state:'waiting'};window.${RUN_KEY}&&window.${RUN_KEY}();`;
}

/** The boot script: runs `boot` once the slot is open (now, or when the inline script opens it). */
export function whenBootSlotOpen(boot: () => void): void {
  let started = false;
  const run = (): void => {
    if (started || !bootSlot()) return;
    started = true;
    boot();
  };
  (window as unknown as Record<string, (() => void) | undefined>)[RUN_KEY] = run;
  run();
}

/** The slot the page opened, if any. */
export function bootSlot(): ChartBootSlot | undefined {
  if (typeof window === 'undefined') return undefined;
  return (window as unknown as Record<string, ChartBootSlot | undefined>)[SLOT_KEY];
}

/** The chart component, mounting in `container` with its first bars at `path`: the booted chart (and
 * whether its newest candle is a closed bar) if the boot drew it there, else undefined (and a boot not
 * done yet draws nothing). */
export function adoptBootedChart(container: HTMLElement, path: string): { chart: CandleChart; lastClosed: boolean } | undefined {
  const slot = bootSlot();
  if (!slot) return undefined;
  const { chart } = slot;
  if (slot.state === 'drawn' && chart && chart.container === container && slot.request.path === path) {
    slot.state = 'adopted';
    return { chart, lastClosed: slot.lastClosed === true };
  }
  // Drawn somewhere else (React re-created the container): gone with it.
  if (slot.state === 'drawn') chart?.remove();
  if (slot.state !== 'adopted') slot.state = 'closed';
  return undefined;
}
