// /trends?contract=…&tf=…: one contract's candles, volume, EMAs and signals, live from the broadcaster.
import type { Metadata } from 'next';
import { ErrorState } from '@/components/error-state.tsx';
import { EarlyBars } from '@/components/trends/early-bars.tsx';
import { MarketPicker } from '@/components/trends/market-picker.tsx';
import { TrendChart } from '@/components/trends/trend-chart.tsx';
import { loadTrendsView, type SearchParams } from '@/lib/trends-view.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Trends' };

/** Only for a contract missing from the list (the selection comes from it, so never in practice). */
const DEFAULT_TICK_SIZE = 0.01;

export default async function TrendsPage({ searchParams }: { readonly searchParams: Promise<SearchParams> }) {
  const view = await loadTrendsView(await searchParams);
  const { selection } = view;
  return (
    <section className="trends">
      {selection && view.broadcaster && <EarlyBars {...selection} />}
      {view.contracts.length > 0 && (
        <MarketPicker
          contracts={view.contracts.map((c) => ({ id: c.id, name: c.name }))}
          timeframes={view.timeframes}
          contractId={view.picker.contractId}
          timeframe={view.picker.timeframe}
        />
      )}
      {view.error !== null && (
        <ErrorState title="Cannot show this chart" message={view.error}>
          <a href="/trends">Open the default chart</a>
        </ErrorState>
      )}
      {selection && view.broadcaster && (
        <TrendChart
          key={`${selection.contractId}|${selection.timeframe}`}
          contractId={selection.contractId}
          timeframe={selection.timeframe}
          calendar={selection.calendar}
          broadcaster={view.broadcaster}
          initialBars={selection.initialBars}
          tickSize={view.contracts.find((c) => c.id === selection.contractId)?.tick_size ?? DEFAULT_TICK_SIZE}
        />
      )}
    </section>
  );
}
