// The chart boot: the browser entry of its own script (web/public/chart-boot.js, bundled by esbuild
// when the web app builds: web/next.config.ts), lightweight-charts and the candle reader without
// React. The server-rendered HTML loads it async beside the page's own scripts; once the early answer
// (early-answer.ts) has landed and the chart's container is in the document, it draws the candles and
// the volume as the chart's first frame would, before the page has hydrated. The chart component
// adopts that chart when it mounts (chart-boot-slot.ts) and adds the lines, markers and live updates.
// Anything but a good answer with bars (an error, a refused body, no bars, the component first) draws
// nothing and leaves the answer to the chart component, which reports it as before.
import { parseTimeframe, SessionCalendar } from '@barstream/core';
import { createCandleChart } from './candle-chart.ts';
import { BOOT_CONTAINER_ATTRIBUTE, bootSlot, whenBootSlotOpen } from './chart-boot-slot.ts';
import { CandleStore } from './candle-store.ts';
import { peekEarlyAnswer, takeEarlyAnswer } from './early-answer.ts';
import { ohlcCandles } from './ohlc-candles.ts';
import { markAllBarsSetNextFrame, markBarsPaintedNextFrame, markBarsReceived } from './perf-marks.ts';
import { chartZone, storedTimeZoneChoice } from './stored-time-zone.ts';

/** The booted chart's own element carries this attribute (the loading notice hides under it: globals.css). */
const BOOTED_ATTRIBUTE = 'data-booted';

/** The chart's container, once the HTML has it (the boot may run before the body has streamed in). */
function chartContainer(): Promise<HTMLElement | null> {
  const find = (): HTMLElement | null => document.querySelector<HTMLElement>(`[${BOOT_CONTAINER_ATTRIBUTE}]`);
  const found = find();
  if (found || document.readyState !== 'loading') return Promise.resolve(found);
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', () => resolve(find()), { once: true }));
}

async function boot(): Promise<void> {
  const slot = bootSlot();
  const early = slot && slot.state === 'waiting' ? peekEarlyAnswer(slot.request.path) : undefined;
  if (!slot || !early) return;
  const answer = await early.catch(() => undefined);
  if (!answer?.ok || slot.state !== 'waiting') return;
  markBarsReceived();
  const read = ohlcCandles.safeParse(answer.body);
  if (!read.success) return;
  // Ordered and unique as the chart's store keeps them: the component finds the same candle objects.
  const candles = new CandleStore().replaceAll(read.data.candles);
  if (candles.length === 0) return;
  const container = await chartContainer();
  // One check and the drawing in one task: the component cannot mount in between.
  if (!container || slot.state !== 'waiting' || container.childElementCount > 0) return;
  const { path, timeframe, calendar } = slot.request;
  const chart = createCandleChart(
    container,
    parseTimeframe(timeframe),
    chartZone(storedTimeZoneChoice(), calendar?.timezone ?? null),
    calendar ? new SessionCalendar(calendar) : null,
  );
  chart.chart.chartElement().setAttribute(BOOTED_ATTRIBUTE, '');
  chart.draw(candles, null);
  void takeEarlyAnswer(path); // taken: the chart component adopts the candles instead
  slot.chart = chart;
  slot.lastClosed = read.data.lastClosed;
  slot.state = 'drawn';
  markBarsPaintedNextFrame(candles.length);
  chart.afterAllSet(() => markAllBarsSetNextFrame(candles.length));
}

whenBootSlotOpen(() => void boot());
