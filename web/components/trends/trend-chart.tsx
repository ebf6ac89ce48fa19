'use client';
// The trends chart of one contract and timeframe: created on mount, fed by a ChartSession (history,
// live bars and ticks, signals, EMA overlays), removed on unmount.
import { parseTimeframe, SessionCalendar, type SessionCalendarSpec } from '@barstream/core';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { DEFAULT_INDICATORS, DEFAULT_TREND_ANALYZER } from '@/lib/api/defaults.ts';
import type { BarLegend } from '@/lib/chart/bar-legend.ts';
import { broadcasterUrl, type BroadcasterEndpoint } from '@/lib/chart/broadcaster-endpoint.ts';
import { barsPath } from '@/lib/chart/chart-api.ts';
import { adoptBootedChart, BOOT_CONTAINER_ATTRIBUTE } from '@/lib/chart/chart-boot-slot.ts';
import type { ConnectionStatus } from '@/lib/chart/broadcaster-socket.ts';
import {
  type ChartPreferences,
  DEFAULT_PREFERENCES,
  lineVisible,
  savePreferences,
  storedPreferences,
} from '@/lib/chart/chart-preferences.ts';
import { ChartSession, type TooltipState } from '@/lib/chart/chart-session.ts';
import { createChartSurface, type ChartSurface } from '@/lib/chart/chart-surface.ts';
import { LatestValue } from '@/lib/chart/latest-value.ts';
import { markChartAdopted } from '@/lib/chart/perf-marks.ts';
import { chartZone } from '@/lib/chart/stored-time-zone.ts';
import { chartTimeFormatters } from '@/lib/chart/time-format.ts';
import type { LoadState } from '@/lib/chart/live-candles.ts';
import type { MarkerVisibility } from '@/lib/chart/signal-markers.ts';
import { useAlertMarkers } from '../alerts/use-alert-markers.ts';
import { ErrorState } from '../error-state.tsx';
import { ChartLegend } from './chart-legend.tsx';
import { ChartToolbar } from './chart-toolbar.tsx';
import { MarketClosedNote } from './market-closed-note.tsx';
import { SignalTooltip } from './signal-tooltip.tsx';
import { LabelModeToggle } from './labels/label-mode-toggle.tsx';
import { ScorePanel } from './labels/score-panel.tsx';
import { useTrendLabels } from './labels/use-trend-labels.ts';

export interface TrendChartProps {
  readonly contractId: string;
  readonly timeframe: string;
  readonly calendar: SessionCalendarSpec | null;
  readonly broadcaster: BroadcasterEndpoint;
  /** Bars of history drawn first; older ones load when scrolling back. */
  readonly initialBars: number;
  /** The contract's price increment: the legend writes prices to it. */
  readonly tickSize: number;
}

const LINE_NAMES = DEFAULT_INDICATORS;
const EMPTY_HTML = { __html: '' };

const zoneOf = (p: ChartPreferences, exchangeZone: string | null): string => chartZone(p.timeZone, exchangeZone);

/** Stored choices are read when the chart mounts; later ones come from this page's own toolbar. */
const subscribeNever = (): (() => void) => () => undefined;
/** localStorage is the browser's: the server, and hydration, draw the defaults. */
const serverPreferences = (): ChartPreferences => DEFAULT_PREFERENCES;

const visibilityOf = (p: ChartPreferences): MarkerVisibility => ({
  trendStarts: p.trendStarts,
  hiddenAnalyzers: new Set(p.hiddenAnalyzers),
});

export function TrendChart({ contractId, timeframe, calendar, broadcaster, initialBars, tickSize }: TrendChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const surfaceRef = useRef<ChartSurface | null>(null);
  const sessionRef = useRef<ChartSession | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>('reconnecting');
  const [load, setLoad] = useState<LoadState>({ phase: 'loading' });
  const [analyzers, setAnalyzers] = useState<readonly string[]>([]);
  // The chart's width is measured when the tooltip moves, not read from the ref while rendering.
  const [tooltip, setTooltip] = useState<{ readonly state: TooltipState; readonly width: number } | null>(null);
  const stored = useSyncExternalStore(subscribeNever, storedPreferences, serverPreferences);
  const [chosen, setChosen] = useState<ChartPreferences | null>(null);
  const prefs = chosen ?? stored;
  const [legend] = useState(() => new LatestValue<BarLegend | null>(null));
  // The choices a new chart starts with; later ones are applied to it by the effect below.
  const prefsRef = useRef(prefs);
  useEffect(() => {
    prefsRef.current = prefs;
  }, [prefs]);

  // Props arrive from a server component: compare their contents, not their identities.
  const calendarKey = calendar ? `${calendar.name}|${calendar.timezone}|${calendar.sessionOpen}` : '';
  const endpointKey = 'url' in broadcaster ? broadcaster.url : `:${broadcaster.port}`;
  const zone = zoneOf(prefs, calendar?.timezone ?? null);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return undefined;
    const p = prefsRef.current;
    // The page's boot script may have drawn the candles here before hydration (chart-boot.ts).
    const booted = adoptBootedChart(container, barsPath(contractId, timeframe, { limit: initialBars }));
    if (booted) markChartAdopted();
    const surface = createChartSurface(
      container,
      parseTimeframe(timeframe),
      LINE_NAMES,
      zoneOf(p, calendar?.timezone ?? null),
      calendar ? new SessionCalendar(calendar) : null,
      booted?.chart,
    );
    for (const name of LINE_NAMES) surface.setLineVisible(name, lineVisible(p, name));
    const session = new ChartSession(surface, {
      contractId,
      timeframe,
      calendar,
      initialBars,
      ...(booted ? { initialCandles: booted.chart.drawn(), initialLastClosed: booted.lastClosed } : {}),
      socketUrl: broadcasterUrl(broadcaster, window.location),
      trendAnalyzer: DEFAULT_TREND_ANALYZER,
      lineNames: LINE_NAMES,
      visibility: visibilityOf(p),
      smcVisibility: p.smc,
      onStatus: setStatus,
      onLoad: setLoad,
      onAnalyzers: setAnalyzers,
      onTooltip: (t) => setTooltip(t && { state: t, width: container.clientWidth }),
      tickSize,
      onLegend: (l) => legend.set(l),
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
    // calendar and broadcaster are new objects with each server render: tracked through their keys.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- calendarKey and endpointKey stand for them
  }, [contractId, timeframe, calendarKey, endpointKey, initialBars, tickSize, legend]);

  // Trend labelling (web/components/trends/labels): declared after the chart's effect, so its own
  // effects find the surface created.
  const trendLabels = useTrendLabels(surfaceRef, contractId, timeframe);
  useAlertMarkers(surfaceRef, contractId, timeframe);

  // Display choices apply to the live chart without recreating it.
  useEffect(() => {
    const surface = surfaceRef.current;
    if (!surface) return;
    surface.setTimeZone(zone);
    for (const name of LINE_NAMES) surface.setLineVisible(name, lineVisible(prefs, name));
    sessionRef.current?.setVisibility(visibilityOf(prefs));
    sessionRef.current?.setSmcVisibility(prefs.smc);
  }, [prefs, zone]);

  // The legend's time in the zone chosen now (the chart's own formatters follow in an effect).
  const legendTime = useMemo(() => chartTimeFormatters(zone, parseTimeframe(timeframe)).timeFormatter, [zone, timeframe]);
  const shownLines = LINE_NAMES.filter((name) => lineVisible(prefs, name));

  const change = (next: ChartPreferences): void => {
    setChosen(next);
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
        extra={<LabelModeToggle labels={trendLabels} />}
      />
      <MarketClosedNote calendar={calendar} />
      {load.phase === 'error' && (
        <ErrorState title="Could not load bars" message={`${load.message} Retrying…`}>
          <button type="button" onClick={() => sessionRef.current?.retry()}>
            Retry now
          </button>
        </ErrorState>
      )}
      <div className="chart-frame">
        {/* The boot script may draw into this element before hydration: React leaves its content
            alone (an empty innerHTML of its own) and does not compare it. */}
        <div
          ref={containerRef}
          className="chart"
          data-testid="chart"
          data-phase={load.phase}
          {...{ [BOOT_CONTAINER_ATTRIBUTE]: '' }}
          dangerouslySetInnerHTML={EMPTY_HTML}
          suppressHydrationWarning
        />
        <ChartLegend feed={legend} formatTime={legendTime} lines={shownLines} />
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
        {tooltip && <SignalTooltip tooltip={tooltip.state} width={tooltip.width} />}
      </div>
      <ScorePanel labels={trendLabels} />
    </section>
  );
}
