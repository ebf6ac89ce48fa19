// Starts fetching the chart's first bars from the server-rendered HTML, so they load while the
// scripts download and hydrate (web/lib/chart/early-answer.ts), and loads the chart boot script, which
// draws them before hydration (web/lib/chart/chart-boot.ts); the chart adopts what it drew.
// The request itself starts from the head: a preload the inline script's fetch then takes. The
// inline script runs only once the stylesheets before it have loaded (the parser holds scripts for
// them), the preload does not wait for them.
import type { SessionCalendarSpec } from '@barstream/core';
import { barsPath } from '@/lib/chart/chart-api.ts';
import { openBootSlotScript } from '@/lib/chart/chart-boot-slot.ts';
import { earlyFetchScript } from '@/lib/chart/early-answer.ts';

/** web/public/chart-boot.js, built with the web app (next.config.ts). */
const CHART_BOOT_SRC = '/chart-boot.js';

export interface EarlyBarsProps {
  readonly contractId: string;
  readonly timeframe: string;
  /** The chart's first request asks for this many bars: the same path, so it finds this answer. */
  readonly initialBars: number;
  readonly calendar: SessionCalendarSpec | null;
}

export function EarlyBars({ contractId, timeframe, initialBars, calendar }: EarlyBarsProps) {
  const path = barsPath(contractId, timeframe, { limit: initialBars });
  const script = `${earlyFetchScript(path)};` + openBootSlotScript({ path, timeframe, calendar });
  return (
    <>
      {/* React puts the link into the head. Same URL, mode (cors: crossOrigin) and credentials
          (same-origin: anonymous) as the inline script's plain fetch (early-answer.ts), which takes the
          preloaded answer instead of asking again. (react-dom's preload() called here reached the
          RSC payload as a hint but left no link in the server-rendered HTML.) */}
      <link rel="preload" as="fetch" href={path} crossOrigin="anonymous" />
      <script dangerouslySetInnerHTML={{ __html: script }} />
      {/* React puts an async script into the document's head, after the page's own chunks; at high
          priority it is fetched before them (the browser's async scripts are low), not last. */}
      <script async src={CHART_BOOT_SRC} fetchPriority="high" />
    </>
  );
}
