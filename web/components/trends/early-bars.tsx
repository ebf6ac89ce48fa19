// Starts fetching the chart's first bars from the server-rendered HTML, so they load while the
// scripts download and hydrate (web/lib/chart/early-answer.ts); the chart takes that answer.
import { barsPath } from '@/lib/chart/chart-api.ts';
import { earlyFetchScript } from '@/lib/chart/early-answer.ts';

export interface EarlyBarsProps {
  readonly contractId: string;
  readonly timeframe: string;
  /** The chart's first request asks for this many bars: the same path, so it finds this answer. */
  readonly initialBars: number;
}

export function EarlyBars({ contractId, timeframe, initialBars }: EarlyBarsProps) {
  const script = earlyFetchScript(barsPath(contractId, timeframe, { limit: initialBars }));
  return <script dangerouslySetInnerHTML={{ __html: script }} />;
}
