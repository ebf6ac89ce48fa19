'use client';
// The trends chart of one contract and timeframe: created on mount, fed by a ChartSession (history,
// live bars and ticks, signals, EMA overlays), removed on unmount.
import { parseTimeframe, type SessionCalendarSpec } from '@barstream/core';
import { useEffect, useRef, useState } from 'react';
import { DEFAULT_INDICATORS, DEFAULT_TREND_ANALYZER } from '@/lib/api/defaults.ts';
import { broadcasterUrl, type BroadcasterEndpoint } from '@/lib/chart/broadcaster-endpoint.ts';
import type { ConnectionStatus } from '@/lib/chart/broadcaster-socket.ts';
import {
  type ChartPreferences, DEFAULT_PREFERENCES, lineVisible, loadPreferences, savePreferences,
} from '@/lib/chart/chart-preferences.ts';
import { ChartSession, type TooltipState } from '@/lib/chart/chart-session.ts';
import { createChartSurface, type ChartSurface } from '@/lib/chart/chart-surface.ts';
import type { LoadState } from '@/lib/chart/live-candles.ts';
import type { MarkerVisibility } from '@/lib/chart/signal-markers.ts';
import { ErrorState } from '../error-state.tsx';
import { ChartToolbar } from './chart-toolbar.tsx';
import { SignalTooltip } from './signal-tooltip.tsx';

export interface TrendChartProps {
  readonly contractId: string;
  readonly timeframe: string;
  readonly calendar: SessionCalendarSpec | null;
  readonly broadcaster: BroadcasterEndpoint;
  /** Bars of history drawn first; older ones load when scrolling back. */
  readonly initialBars: number;
}

const LINE_NAMES = DEFAULT_INDICATORS;

const zoneOf = (p: ChartPreferences, calendar: SessionCalendarSpec | null): string =>
  p.timeZone === 'exchange' && calendar ? calendar.timezone : 'UTC';

const visibilityOf = (p: ChartPreferences): MarkerVisibility => ({ trendStarts: p.trendStarts, hiddenAnalyzers: new Set(p.hiddenAnalyzers) });

export function TrendChart({ contractId, timeframe, calendar, broadcaster, initialBars }: TrendChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const surfaceRef = useRef<ChartSurface | null>(null);
  const sessionRef = useRef<ChartSession | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>('reconnecting');
  const [load, setLoad] = useState<LoadState>({ phase: 'loading' });
  const [analyzers, setAnalyzers] = useState<readonly string[]>([]);
  // The chart's width is measured when the tooltip moves: a ref is not read during render.
  const [tooltip, setTooltip] = useState<{ readonly state: TooltipState; readonly width: number } | null>(null);
  const [prefs, setPrefs] = useState<ChartPreferences>(DEFAULT_PREFERENCES);
  const prefsRef = useRef(prefs);
  useEffect(() => {
    prefsRef.current = prefs;
  }, [prefs]);

  // Props arrive from a server component: compare their contents, not their identities.
  const calendarKey = calendar ? `${calendar.name}|${calendar.timezone}|${calendar.sessionOpen}` : '';
  const endpointKey = 'url' in broadcaster ? broadcaster.url : `:${broadcaster.port}`;

  // localStorage exists only in the browser: the server and the first client render use the defaults.
  // eslint-disable-next-line react-hooks/set-state-in-effect -- one render after hydration, by design
  useEffect(() => setPrefs(loadPreferences()), []);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return undefined;
    const p = prefsRef.current;
    const surface = createChartSurface(container, parseTimeframe(timeframe), LINE_NAMES, zoneOf(p, calendar));
    for (const name of LINE_NAMES) surface.setLineVisible(name, lineVisible(p, name));
    const session = new ChartSession(surface, {
      contractId, timeframe, calendar, initialBars,
      socketUrl: broadcasterUrl(broadcaster, window.location),
      trendAnalyzer: DEFAULT_TREND_ANALYZER,
      lineNames: LINE_NAMES,
      visibility: visibilityOf(p),
      onStatus: setStatus,
      onLoad: setLoad,
      onAnalyzers: setAnalyzers,
      onTooltip: (state) => setTooltip(state && { state, width: container.clientWidth }),
    });
    surfaceRef.current = surface;
    sessionRef.current = session;
    session.start();
    return () => {
      session.stop();
      surface.remove();
      sessionRef.current = null;
      surfaceRef.current = null;
    };
    // calendar and broadcaster are tracked through their keys.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- their identities change on every server render
  }, [contractId, timeframe, calendarKey, endpointKey, initialBars]);

  // Display choices apply to the live chart without recreating it.
  useEffect(() => {
    const surface = surfaceRef.current;
    if (!surface) return;
    surface.setTimeZone(zoneOf(prefs, calendar));
    for (const name of LINE_NAMES) surface.setLineVisible(name, lineVisible(prefs, name));
    sessionRef.current?.setVisibility(visibilityOf(prefs));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- calendar is tracked through calendarKey
  }, [prefs, calendarKey]);

  const change = (next: ChartPreferences): void => {
    setPrefs(next);
    savePreferences(next);
  };

  return (
    <section className="chart-panel">
      <ChartToolbar
        title={`${contractId} · ${timeframe}`}
        status={status}
        lineNames={LINE_NAMES}
        analyzers={analyzers}
        exchangeTimeZone={calendar && calendar.timezone !== 'UTC' ? calendar.timezone : null}
        preferences={prefs}
        onChange={change}
      />
      {load.phase === 'error' && (
        <ErrorState title="Could not load bars" message={`${load.message} Retrying…`}>
          <button type="button" onClick={() => sessionRef.current?.retry()}>Retry now</button>
        </ErrorState>
      )}
      {load.phase === 'ready' && load.barCount === 0 && (
        <p className="chart-note">No bars stored for {contractId} {timeframe} yet; live updates will draw here.</p>
      )}
      <div className="chart-frame">
        <div ref={containerRef} className="chart" data-testid="chart" data-phase={load.phase} />
        {tooltip && <SignalTooltip tooltip={tooltip.state} width={tooltip.width} />}
      </div>
    </section>
  );
}
