// One trends chart's live session: the broadcaster socket, and the candle, signal and indicator
// layers it feeds, drawn on a ChartSurface. Messages go to the layer that owns them; a reconnect
// or a `resync` makes each layer refetch only what it may have missed.
import { resyncMessageSchema, type SessionCalendarSpec } from '@barstream/core';
import type { MouseEventParams, Time } from 'lightweight-charts';
import { BroadcasterSocket, type ConnectionStatus } from './broadcaster-socket.ts';
import type { ChartSurface } from './chart-surface.ts';
import { HandlerTimings } from './handler-timings.ts';
import { IndicatorLines } from './indicator-lines.ts';
import { LiveCandles, type LoadState, RECONNECT_MARGIN_MS } from './live-candles.ts';
import { describeSignal, type SignalDescription } from './signal-description.ts';
import { SignalLayer } from './signal-layer.ts';
import { type ChartSignal, type MarkerVisibility, markerId, otherAnalyzers, signalMarkers } from './signal-markers.ts';
import { publishTestHook } from './test-hook.ts';
import { wantsOlderBars } from './visible-range.ts';

export interface TooltipState {
  readonly x: number;
  readonly y: number;
  readonly items: readonly SignalDescription[];
}

export interface ChartSessionOptions {
  readonly contractId: string;
  readonly timeframe: string;
  readonly calendar: SessionCalendarSpec | null;
  readonly socketUrl: string;
  readonly initialBars: number;
  readonly trendAnalyzer: string;
  readonly lineNames: readonly string[];
  readonly visibility: MarkerVisibility;
  readonly onStatus: (status: ConnectionStatus) => void;
  readonly onLoad: (state: LoadState) => void;
  /** Analyzers other than the trend analyzer that have signals on this chart (for toggles). */
  readonly onAnalyzers: (analyzers: readonly string[]) => void;
  readonly onTooltip: (tooltip: TooltipState | null) => void;
}

export class ChartSession {
  private readonly candles: LiveCandles;
  private readonly signals: SignalLayer;
  private readonly lines: IndicatorLines;
  private readonly socket: BroadcasterSocket;
  private readonly timings = new HandlerTimings();
  private visibility: MarkerVisibility;
  private analyzersKey = '';
  private unpublish: () => void = () => undefined;

  constructor(private readonly surface: ChartSurface, private readonly options: ChartSessionOptions) {
    const { contractId, timeframe } = options;
    this.visibility = options.visibility;
    this.candles = new LiveCandles({
      contractId, timeframe, calendar: options.calendar, initialBars: options.initialBars, sink: surface.candleSink,
      onLoad: options.onLoad,
      onOlderLoaded: (oldest) => {
        void this.signals.load({ from: oldest * 1000 });
        void this.lines.extendBack(oldest);
      },
      onBarClosed: () => this.lines.barClosed(),
    });
    this.signals = new SignalLayer({ contractId, timeframe, trendAnalyzer: options.trendAnalyzer, onChange: (s) => this.drawSignals(s) });
    this.lines = new IndicatorLines({ contractId, timeframe, names: options.lineNames, sink: surface.lineSink });
    this.socket = new BroadcasterSocket({
      url: options.socketUrl,
      subscriptions: [
        { type: 'subscribe', channel: 'bars', contract_id: contractId, timeframe },
        { type: 'subscribe', channel: 'ticks', contract_id: contractId },
        { type: 'subscribe', channel: 'signals', contract_id: contractId },
      ],
      onMessage: (m) => this.dispatch(m),
      onStatus: options.onStatus,
      onOpen: (downSince) => this.reconnected(downSince),
      timings: this.timings,
    });
    surface.onVisibleRangeChange((range) => {
      if (wantsOlderBars(range, this.candles.store.count)) void this.candles.loadOlder();
    });
    surface.onCrosshairMove((param) => this.hover(param));
  }

  start(): void {
    this.candles.start();
    void this.lines.load(this.options.initialBars);
    void this.signals.load();
    this.socket.start();
    this.unpublish = this.publishHook();
  }

  stop(): void {
    this.unpublish();
    this.socket.stop();
    this.candles.stop();
    this.signals.stop();
    this.lines.stop();
  }

  retry(): void {
    this.candles.retry();
  }

  setVisibility(visibility: MarkerVisibility): void {
    this.visibility = visibility;
    this.drawSignals(this.signals.signals);
  }

  private dispatch(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const m = message as { type?: unknown };
    switch (m.type) {
      case 'ohlc':
      case 'ticks':
        this.candles.receive(m);
        return;
      case 'signal':
        this.signals.receive(m);
        return;
      case 'signals_stored':
        this.signals.receiveStored(m);
        return;
      case 'resync': {
        // The broadcaster lost PostgreSQL for a while: re-read the span it names.
        const parsed = resyncMessageSchema.safeParse(m);
        if (parsed.success) this.refetchFrom(Date.parse(parsed.data.from));
        return;
      }
      default:
        // 'subscribed', 'pong', 'error': nothing to draw.
    }
  }

  private reconnected(downSince: number | undefined): void {
    this.candles.connected(downSince);
    if (downSince !== undefined) {
      void this.signals.load({ from: downSince - RECONNECT_MARGIN_MS });
      void this.lines.fill(downSince - RECONNECT_MARGIN_MS);
    }
  }

  private refetchFrom(fromMs: number): void {
    this.candles.resync(fromMs);
    void this.signals.load({ from: fromMs });
    void this.lines.fill(fromMs);
  }

  private drawSignals(signals: ReadonlyMap<number, ChartSignal>): void {
    this.surface.setMarkers(signalMarkers(signals.values(), this.options.trendAnalyzer, this.visibility));
    const analyzers = otherAnalyzers(signals.values(), this.options.trendAnalyzer);
    const key = analyzers.join('|');
    if (key !== this.analyzersKey) {
      this.analyzersKey = key;
      this.options.onAnalyzers(analyzers);
    }
  }

  /** Tooltip for the hovered marker, else for every shown signal about the hovered bar. */
  private hover(param: MouseEventParams<Time>): void {
    if (!param.point || param.time === undefined) {
      this.options.onTooltip(null);
      return;
    }
    const shown = new Set(this.surface.markers().map((m) => m.id));
    const hovered = typeof param.hoveredObjectId === 'string' ? param.hoveredObjectId : undefined;
    const items = [...this.signals.signals.values()]
      .filter((s) => shown.has(markerId(s.signalId)) && (s.time === param.time || markerId(s.signalId) === hovered))
      .sort((a, b) => Number(markerId(b.signalId) === hovered) - Number(markerId(a.signalId) === hovered))
      .map((s) => describeSignal(s, (t) => this.surface.formatTime(t)));
    this.options.onTooltip(items.length === 0 ? null : { x: param.point.x, y: param.point.y, items });
  }

  private publishHook(): () => void {
    const { candles, signals, surface, timings, lines } = this;
    return publishTestHook({
      get lastBar() { return candles.store.last ?? null; },
      get barCount() { return candles.store.count; },
      get signalCount() { return signals.signals.size; },
      get events() { return { ...candles.events }; },
      get linePoints() { return lines.pointCounts(); },
      candles: () => [...candles.store.all()],
      markers: () => [...surface.markers()],
      timeToX: (time) => surface.timeToX(time),
      inject: (message) => {
        const started = performance.now();
        this.dispatch(message);
        return performance.now() - started;
      },
      handlerTimings: () => timings.recent(),
    });
  }
}
