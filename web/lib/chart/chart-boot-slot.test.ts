import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CandleChart } from './candle-chart.ts';
import { adoptBootedChart, bootSlot, openBootSlotScript, whenBootSlotOpen } from './chart-boot-slot.ts';

const REQUEST = { path: '/api/ohlc?contract_id=SIM.MES&timeframe=1m&limit=5000', timeframe: '1m', calendar: null };

/** Runs the inline script as the HTML parser would (in the page's global scope). */
const runInline = (script: string): void => {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the script under test is text, as in the HTML
  const run = new Function(script) as () => void;
  run();
};

/** A drawn chart as the boot leaves it, in `container`. */
function drawnChart(container: object): { chart: CandleChart; removed: () => boolean } {
  let removed = false;
  const chart = {
    container,
    remove: () => {
      removed = true;
    },
  } as unknown as CandleChart;
  return { chart, removed: () => removed };
}

function boot(container: object): ReturnType<typeof drawnChart> {
  const slot = bootSlot();
  if (!slot) throw new Error('no slot');
  const drawn = drawnChart(container);
  slot.chart = drawn.chart;
  slot.state = 'drawn';
  return drawn;
}

afterEach(() => {
  vi.unstubAllGlobals();
  const page = globalThis as Record<string, unknown>;
  delete page.__barstreamChartBoot;
  delete page.__barstreamChartBootRun;
});

describe('the chart boot hand-over', () => {
  it('starts the boot once, whether its script runs before or after the inline one', () => {
    vi.stubGlobal('window', globalThis);
    const before = vi.fn();
    whenBootSlotOpen(before); // the async script first: no slot yet
    expect(before).not.toHaveBeenCalled();
    runInline(openBootSlotScript(REQUEST));
    expect(before).toHaveBeenCalledTimes(1);
    expect(bootSlot()?.request).toEqual(REQUEST);

    const after = vi.fn();
    whenBootSlotOpen(after); // the inline script first
    runInline(openBootSlotScript(REQUEST)); // (a second page render would not start it twice)
    expect(after).toHaveBeenCalledTimes(1);
  });

  it('writes a request that cannot close the script element', () => {
    vi.stubGlobal('window', globalThis);
    const request = { ...REQUEST, path: '/api/ohlc?x=</script><!--\u2028' };
    const script = openBootSlotScript(request);
    expect(script).not.toContain('</script>');
    expect(script).not.toContain('<!--');
    runInline(script);
    expect(bootSlot()?.request.path).toBe(request.path);
  });

  it('hands the drawn chart over once, to the component mounting in its container with its path', () => {
    vi.stubGlobal('window', globalThis);
    runInline(openBootSlotScript(REQUEST));
    const container = {} as HTMLElement;
    const drawn = boot(container);
    (bootSlot() as { lastClosed?: boolean }).lastClosed = true; // as chart-boot.ts sets it from the answer
    expect(adoptBootedChart(container, REQUEST.path)).toEqual({ chart: drawn.chart, lastClosed: true });
    expect(bootSlot()?.state).toBe('adopted');
    expect(adoptBootedChart(container, REQUEST.path)).toBeUndefined(); // a remount makes its own
    expect(drawn.removed()).toBe(false);
  });

  it('closes the slot when the component mounts first: a boot done later must not draw', () => {
    vi.stubGlobal('window', globalThis);
    runInline(openBootSlotScript(REQUEST));
    expect(adoptBootedChart({} as HTMLElement, REQUEST.path)).toBeUndefined();
    expect(bootSlot()?.state).toBe('closed');
  });

  it('removes a chart drawn in another container or for other bars, and adopts nothing', () => {
    vi.stubGlobal('window', globalThis);
    runInline(openBootSlotScript(REQUEST));
    const elsewhere = boot({});
    expect(adoptBootedChart({} as HTMLElement, REQUEST.path)).toBeUndefined();
    expect(elsewhere.removed()).toBe(true);

    runInline(openBootSlotScript(REQUEST));
    const container = {} as HTMLElement;
    const otherBars = boot(container);
    expect(adoptBootedChart(container, `${REQUEST.path}0`)).toBeUndefined();
    expect(otherBars.removed()).toBe(true);
    expect(bootSlot()?.state).toBe('closed');
  });

  it('is nothing without a slot (a page without the early request, or the server)', () => {
    vi.stubGlobal('window', globalThis);
    expect(adoptBootedChart({} as HTMLElement, REQUEST.path)).toBeUndefined();
  });
});
