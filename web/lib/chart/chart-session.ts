// One trends chart's live session: the broadcaster socket, and the candle, signal and indicator
// layers it feeds, drawn on a ChartSurface. Messages go to the layer that owns them; a reconnect
// or a `resync` makes each layer refetch only what it may have missed.
import { resyncMessageSchema, type SessionCalendarSpec } from '@barstream/core';
import type { MouseEventParams, Time } from 'lightweight-charts';
import { type BarLegend, barLegend } from './bar-legend.ts';
import { BroadcasterSocket, type ConnectionStatus } from './broadcaster-socket.ts';
import type { Candle } from './candle-merge.ts';
import type { ChartSurface } from './chart-surface.ts';
import { HandlerTimings } from './handler-timings.ts';
import { IndicatorLines } from './indicator-lines.ts';
import { type CandleSink, LiveCandles, type LoadState, RECONNECT_MARGIN_MS } from './live-candles.ts';
import { describeSignal, type SignalDescription } from './signal-description.ts';
import { SignalLayer } from './signal-layer.ts';
import { SmcLayer } from './smc/smc-layer.ts';
import { publishSmcTestHook } from './smc/smc-test-hook.ts';
import type { SmcVisibility } from './smc/smc-visibility.ts';
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
  /** The chart boot's candles, already drawn on the surface (chart-boot.ts). */
  readonly initialCandles?: readonly Candle[];
  /** The newest of initialCandles is a closed bar. */
  readonly initialLastClosed?: boolean;
  readonly trendAnalyzer: string;
  readonly lineNames: readonly string[];
  readonly visibility: MarkerVisibility;
  /** The SMC studies drawn. */
  readonly smcVisibility: SmcVisibility;
  readonly onStatus: (status: ConnectionStatus) => void;
  readonly onLoad: (state: LoadState) => void;
  /** Analyzers other than the trend analyzer that have signals on this chart (for toggles). */
  readonly onAnalyzers: (analyzers: readonly string[]) => void;
  readonly onTooltip: (tooltip: TooltipState | null) => void;
  /** The contract's tick size: prices in the legend are written to it. */
  readonly tickSize: number;
  /** The bar under the cursor (the newest bar otherwise) changed, or its figures did. */
  readonly onLegend: (legend: BarLegend | null) => void;
}

export class ChartSession {
  private readonly candles: LiveCandles;
  private readonly signals: SignalLayer;
  private readonly lines: IndicatorLines;
  private readonly smc: SmcLayer;
  private readonly socket: BroadcasterSocket;
  private readonly timings = new HandlerTimings();
  private visibility: MarkerVisibility;
  private analyzersKey = '';
  /** Bar time under the crosshair; undefined: the cursor is off the bars (the legend shows the newest). */
  private hoverTime: number | undefined;
  private legend: BarLegend | null = null;
  private legendKey = '';
  private unpublish: () => void = () => undefined;
  /** Overlay draws that arrived before the first candles were on screen, run once they are: the
   * overlays' answers are asked for at the same time, and drawing them first delayed the candles. */
  private heldOverlays: (() => void)[] | undefined = [];

  constructor(
    private readonly surface: ChartSurface,
    private readonly options: ChartSessionOptions,
  ) {
    const { contractId, timeframe } = options;
    this.visibility = options.visibility;
    // Every candle drawn may be the one the legend shows.
    const sink: CandleSink = {
      setAll: (all, keep) => {
        surface.candleSink.setAll(all, keep);
        this.updateLegend();
      },
      update: (candle) => {
        surface.candleSink.update(candle);
        this.updateLegend();
      },
      visibleRange: () => surface.candleSink.visibleRange(),
    };
    this.candles = new LiveCandles({
      contractId,
      timeframe,
      calendar: options.calendar,
      initialBars: options.initialBars,
      ...(options.initialCandles ? { initialCandles: options.initialCandles, initialLastClosed: options.initialLastClosed ?? false } : {}),
      sink,
      onLoad: options.onLoad,
      onOlderLoaded: (oldest) => {
        void this.signals.load({ from: oldest * 1000 });
        void this.lines.extendBack(oldest);
        void this.smc.load({ from: oldest * 1000 });
      },
      onBarClosed: () => this.lines.barClosed(),
      onFirstPainted: () => this.releaseOverlays(),
    });
    this.smc = new SmcLayer({ contractId, timeframe, candleTimes: () => this.candles.store.all() });
    this.smc.setVisibility(options.smcVisibility);
    surface.attachCandlePrimitive(this.smc.primitive);
    this.signals = new SignalLayer({ contractId, timeframe, trendAnalyzer: options.trendAnalyzer, onChange: (s) => this.drawSignals(s) });
    this.lines = new IndicatorLines({
      contractId,
      timeframe,
      names: options.lineNames,
      sink: {
        setLine: (name, points) =>
          this.overlay(() => {
            surface.lineSink.setLine(name, points);
            this.updateLegend();
          }),
        updateLine: (name, point) =>
          this.overlay(() => {
            surface.lineSink.updateLine(name, point);
            this.updateLegend();
          }),
      },
    });
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
    void this.smc.load();
    this.socket.start();
    const unpublishChart = this.publishHook();
    const unpublishSmc = publishSmcTestHook(this.smc);
    this.unpublish = () => {
      unpublishChart();
      unpublishSmc();
    };
  }

  stop(): void {
    this.unpublish();
    this.socket.stop();
    this.candles.stop();
    this.signals.stop();
    this.lines.stop();
    this.smc.stop();
  }

  retry(): void {
    this.candles.retry();
  }

  setVisibility(visibility: MarkerVisibility): void {
    this.visibility = visibility;
    this.drawSignals(this.signals.signals);
  }

  setSmcVisibility(visibility: SmcVisibility): void {
    this.smc.setVisibility(visibility);
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
      case 'smc_update':
        this.smc.receive(m);
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
      void this.smc.load({ from: downSince - RECONNECT_MARGIN_MS });
    }
  }

  private refetchFrom(fromMs: number): void {
    this.candles.resync(fromMs);
    void this.signals.load({ from: fromMs });
    void this.lines.fill(fromMs);
    void this.smc.load({ from: fromMs });
  }

  /** Draws an overlay now, or once the first candles are on screen. */
  private overlay(draw: () => void): void {
    if (this.heldOverlays) this.heldOverlays.push(draw);
    else draw();
  }

  private releaseOverlays(): void {
    const held = this.heldOverlays ?? [];
    this.heldOverlays = undefined;
    for (const draw of held) draw();
  }

  private drawSignals(signals: ReadonlyMap<number, ChartSignal>): void {
    if (this.heldOverlays) {
      // Only the latest set matters: markers are redrawn whole.
      this.overlay(() => this.drawSignals(this.signals.signals));
      return;
    }
    this.surface.setMarkers(signalMarkers(signals.values(), this.options.trendAnalyzer, this.visibility));
    const analyzers = otherAnalyzers(signals.values(), this.options.trendAnalyzer);
    const key = analyzers.join('|');
    if (key !== this.analyzersKey) {
      this.analyzersKey = key;
      this.options.onAnalyzers(analyzers);
    }
  }

  /** The legend for the bar under the cursor (the newest bar otherwise), told only when it changed. */
  private updateLegend(): void {
    const legend = barLegend(this.candles.store.all(), this.hoverTime, this.options.tickSize, this.options.lineNames, (name, time) =>
      this.lines.valueAt(name, time),
    );
    const key = JSON.stringify(legend);
    if (key === this.legendKey) return;
    this.legendKey = key;
    this.legend = legend;
    this.options.onLegend(legend);
  }

  /** Legend for the bar under the cursor; tooltip for the hovered marker (every signal a cluster
   * stands for), else for every shown signal about the hovered bar. */
  private hover(param: MouseEventParams<Time>): void {
    this.hoverTime = param.point && typeof param.time === 'number' ? param.time : undefined;
    this.updateLegend();
    if (!param.point || param.time === undefined) {
      this.options.onTooltip(null);
      return;
    }
    const members = this.surface.markerMembers();
    const shown = new Set([...members.values()].flat());
    const hoveredId = typeof param.hoveredObjectId === 'string' ? param.hoveredObjectId : undefined;
    const hovered = new Set(hoveredId === undefined ? [] : (members.get(hoveredId) ?? [hoveredId]));
    const items = [...this.signals.signals.values()]
      .filter((s) => shown.has(markerId(s.signalId)) && (s.time === param.time || hovered.has(markerId(s.signalId))))
      .sort((a, b) => Number(hovered.has(markerId(b.signalId))) - Number(hovered.has(markerId(a.signalId))) || a.time - b.time)
      .map((s) => describeSignal(s, (t) => this.surface.formatTime(t)));
    this.options.onTooltip(items.length === 0 ? null : { x: param.point.x, y: param.point.y, items });
  }

  private publishHook(): () => void {
    const { candles, signals, surface, timings, lines } = this;
    const legend = (): BarLegend | null => this.legend;
    return publishTestHook({
      get legend() {
        return legend();
      },
      get lastBar() {
        return candles.store.last ?? null;
      },
      get barCount() {
        return candles.store.count;
      },
      get signalCount() {
        return signals.signals.size;
      },
      get events() {
        return { ...candles.events };
      },
      get linePoints() {
        return lines.pointCounts();
      },
      candles: () => [...candles.store.all()],
      markers: () => [...surface.markers()],
      markedSignals: () => [...surface.markerMembers().values()].flat(),
      timeToX: (time) => surface.timeToX(time),
      markerPoint: (id) => {
        // The drawn marker standing for signal marker `id`, at the middle of its bar.
        const drawn = surface.markers().find((m) => (surface.markerMembers().get(m.id ?? '') ?? []).includes(id));
        const bar = drawn && candles.store.all().find((c) => c.time === drawn.time);
        const x = drawn ? surface.timeToX(drawn.time as number) : null;
        const y = bar ? surface.priceToY((bar.high + bar.low) / 2) : null;
        return x === null || y === null || !drawn ? null : { x, y, time: drawn.time as number };
      },
      inject: (message) => {
        const started = performance.now();
        this.dispatch(message);
        return performance.now() - started;
      },
      handlerTimings: () => timings.recent(),
    });
  }
}
