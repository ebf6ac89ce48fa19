'use client';
// The run page's charts (lightweight-charts 5): equity, drawdown (underwater), and the price chart
// with the run's fills as entry/exit markers and the open position's SL/TP as price lines. Each chart
// is created in useEffect and removed on cleanup; new props (a refresh) set the data again.
// window.__barstreamRun exposes what is drawn, for browser tests.
import {
  AreaSeries,
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  LineSeries,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { type RefObject, useEffect, useRef } from 'react';
import { candleStyle, chartOptions } from '@/lib/chart/chart-theme.ts';
import type { FillMarker, LinePoint, PriceLine } from '@/lib/trading/run-chart-data.ts';

export interface RunChartBar {
  /** Epoch seconds. */
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

interface RunChartsHook {
  equityPoints: number;
  drawdownPoints: number;
  candles: number;
  markers: FillMarker[];
  priceLines: PriceLine[];
}
type HookWindow = Window & { __barstreamRun?: RunChartsHook };

function hook(): RunChartsHook {
  const w = window as HookWindow;
  w.__barstreamRun ??= { equityPoints: 0, drawdownPoints: 0, candles: 0, markers: [], priceLines: [] };
  return w.__barstreamRun;
}

const ts = (seconds: number): UTCTimestamp => seconds as UTCTimestamp;

/** A chart in a div: created once, removed on unmount. */
function useChart(build: (chart: IChartApi) => void): RefObject<HTMLDivElement | null> {
  const ref = useRef<HTMLDivElement | null>(null);
  const buildRef = useRef(build);
  useEffect(() => {
    if (!ref.current) return;
    const chart = createChart(ref.current, { ...chartOptions(false), rightPriceScale: { borderColor: '#2a3040' } });
    buildRef.current(chart);
    return () => chart.remove();
  }, []);
  return ref;
}

export function EquityCharts({ equity, drawdown }: { readonly equity: readonly LinePoint[]; readonly drawdown: readonly LinePoint[] }) {
  const equitySeries = useRef<ISeriesApi<'Line'> | null>(null);
  const drawdownSeries = useRef<ISeriesApi<'Area'> | null>(null);
  const equityRef = useChart((chart) => {
    equitySeries.current = chart.addSeries(LineSeries, { color: '#60a5fa', lineWidth: 2, priceLineVisible: false });
  });
  const drawdownRef = useChart((chart) => {
    drawdownSeries.current = chart.addSeries(AreaSeries, {
      lineColor: '#ef5350',
      topColor: 'rgba(239, 83, 80, 0.05)',
      bottomColor: 'rgba(239, 83, 80, 0.4)',
      invertFilledArea: true,
      priceLineVisible: false,
    });
  });
  useEffect(() => {
    equitySeries.current?.setData(equity.map((p) => ({ time: ts(p.time), value: p.value })));
    drawdownSeries.current?.setData(drawdown.map((p) => ({ time: ts(p.time), value: p.value })));
    const h = hook();
    h.equityPoints = equity.length;
    h.drawdownPoints = drawdown.length;
  }, [equity, drawdown]);
  return (
    <div className="run-charts">
      <figure className="run-chart">
        <figcaption>Equity</figcaption>
        <div ref={equityRef} className="run-chart-canvas" data-testid="equity-chart" />
      </figure>
      <figure className="run-chart">
        <figcaption>Drawdown</figcaption>
        <div ref={drawdownRef} className="run-chart-canvas" data-testid="drawdown-chart" />
      </figure>
    </div>
  );
}

export function PriceChart({
  bars,
  markers,
  lines,
}: {
  readonly bars: readonly RunChartBar[];
  readonly markers: readonly FillMarker[];
  readonly lines: readonly PriceLine[];
}) {
  const candles = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const markerLayer = useRef<ISeriesMarkersPluginApi<Time> | null>(null);
  const drawnLines = useRef<IPriceLine[]>([]);
  const ref = useChart((chart) => {
    candles.current = chart.addSeries(CandlestickSeries, candleStyle);
    markerLayer.current = createSeriesMarkers(candles.current, []);
  });
  useEffect(() => {
    const series = candles.current;
    if (!series) return;
    series.setData(bars.map((b) => ({ time: ts(b.time), open: b.open, high: b.high, low: b.low, close: b.close })));
    markerLayer.current?.setMarkers(
      markers.map((m) => ({ time: ts(m.time), position: m.position, shape: m.shape, color: m.color, text: m.text })),
    );
    for (const line of drawnLines.current) series.removePriceLine(line);
    drawnLines.current = lines.map((l) =>
      series.createPriceLine({
        price: l.price,
        color: l.kind === 'stop_loss' ? '#ef5350' : '#22c55e',
        lineWidth: 1,
        lineStyle: 2,
        axisLabelVisible: true,
        title: l.title,
      }),
    );
    const h = hook();
    h.candles = bars.length;
    h.markers = [...markers];
    h.priceLines = [...lines];
  }, [bars, markers, lines]);
  return (
    <figure className="run-chart run-price-chart">
      <figcaption>Price, entries and exits</figcaption>
      <div ref={ref} className="run-chart-canvas" data-testid="price-chart" />
    </figure>
  );
}
