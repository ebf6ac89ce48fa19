'use client';
// The candle chart of one contract and timeframe: created on mount, fed by LiveCandles, removed on unmount.
import type { SessionCalendarSpec } from '@barstream/core';
import { CandlestickSeries, createChart, createSeriesMarkers } from 'lightweight-charts';
import { useEffect, useRef, useState } from 'react';
import { broadcasterUrl, type BroadcasterEndpoint } from '@/lib/chart/broadcaster-endpoint.ts';
import type { ConnectionStatus } from '@/lib/chart/broadcaster-socket.ts';
import { chartOptions, candleStyle } from '@/lib/chart/chart-theme.ts';
import { LiveCandles, type LoadState } from '@/lib/chart/live-candles.ts';
import { publishChartState } from '@/lib/chart/test-hook.ts';
import { ConnectionBadge } from './connection-badge.tsx';
import { ErrorState } from './error-state.tsx';

export interface TrendChartProps {
  readonly contractId: string;
  readonly timeframe: string;
  readonly calendar: SessionCalendarSpec | null;
  readonly broadcaster: BroadcasterEndpoint;
}

export function TrendChart({ contractId, timeframe, calendar, broadcaster }: TrendChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const liveRef = useRef<LiveCandles | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>('reconnecting');
  const [load, setLoad] = useState<LoadState>({ phase: 'loading' });

  // Props arrive from a server component: compare their contents, not their identities.
  const calendarKey = calendar ? `${calendar.name}|${calendar.timezone}|${calendar.sessionOpen}` : '';
  const endpointKey = 'url' in broadcaster ? broadcaster.url : `:${broadcaster.port}`;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return undefined;
    const chart = createChart(container, chartOptions(timeframe));
    const series = chart.addSeries(CandlestickSeries, candleStyle);
    const markers = createSeriesMarkers(series, []);
    const live = new LiveCandles({
      contractId,
      timeframe,
      calendar,
      socketUrl: broadcasterUrl(broadcaster, window.location),
      sink: {
        setData: (candles) => series.setData([...candles]),
        update: (candle, historical) => series.update(candle, historical),
        setMarkers: (m) => markers.setMarkers(m),
      },
      onStatus: setStatus,
      onLoad: setLoad,
      onCandles: publishChartState,
    });
    liveRef.current = live;
    publishChartState(undefined, 0); // a test must not read the previous chart's candles
    live.start();
    return () => {
      live.stop();
      liveRef.current = null;
      markers.detach();
      chart.remove();
    };
    // calendar and broadcaster are tracked through their keys.
  }, [contractId, timeframe, calendarKey, endpointKey]);

  return (
    <section className="chart-panel">
      <div className="chart-toolbar">
        <span className="chart-title">{contractId} · {timeframe}</span>
        <ConnectionBadge status={status} />
      </div>
      {load.phase === 'error' && (
        <ErrorState title="Could not load bars" message={load.message}>
          <button type="button" onClick={() => liveRef.current?.retry()}>Retry now</button>
        </ErrorState>
      )}
      {load.phase === 'ready' && load.barCount === 0 && (
        <p className="chart-note">No bars stored for {contractId} {timeframe} yet; live updates will draw here.</p>
      )}
      <div ref={containerRef} className="chart" data-testid="chart" />
    </section>
  );
}
