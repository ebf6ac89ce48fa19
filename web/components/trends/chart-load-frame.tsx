'use client';
// The chart's frame and what its history load shows: the error with its retry, the loading and
// empty notes over the chart, and the chart element's data-phase. It follows the load state on its
// own, so the first bars re-render this frame and not the whole chart panel (toolbar, legend,
// labels) before they are drawn.
import { type ReactNode, type RefObject, useSyncExternalStore } from 'react';
import type { LatestValue } from '@/lib/chart/latest-value.ts';
import type { LoadState } from '@/lib/chart/live-candles.ts';
import { ErrorState } from '../error-state.tsx';

export interface ChartLoadFrameProps {
  readonly load: LatestValue<LoadState>;
  readonly containerRef: RefObject<HTMLDivElement | null>;
  readonly contractId: string;
  readonly timeframe: string;
  readonly onRetry: () => void;
  /** Drawn over the chart: the legend, the tooltip. */
  readonly children: ReactNode;
}

const LOADING: LoadState = { phase: 'loading' };

export function ChartLoadFrame({ load: feed, containerRef, contractId, timeframe, onRetry, children }: ChartLoadFrameProps) {
  const load = useSyncExternalStore(feed.subscribe, feed.get, () => LOADING);
  return (
    <>
      {load.phase === 'error' && (
        <ErrorState title="Could not load bars" message={`${load.message} Retrying…`}>
          <button type="button" onClick={onRetry}>
            Retry now
          </button>
        </ErrorState>
      )}
      <div className="chart-frame">
        <div ref={containerRef} className="chart" data-testid="chart" data-phase={load.phase} />
        {children}
        {load.phase === 'loading' && (
          <div className="chart-overlay" role="status" data-testid="chart-loading">
            Loading history…
          </div>
        )}
        {load.phase === 'ready' && load.barCount === 0 && (
          <div className="chart-overlay" role="status" data-testid="chart-empty">
            No bars stored for {contractId} {timeframe} yet; live updates will draw here.
          </div>
        )}
      </div>
    </>
  );
}
