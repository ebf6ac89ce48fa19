'use client';
// The legend in the chart's top-left corner: O/H/L/C, volume and change of the bar under the cursor
// (the newest bar otherwise), then the value there of each overlay shown.
import { useSyncExternalStore } from 'react';
import type { BarLegend } from '@/lib/chart/bar-legend.ts';
import { lineColor } from '@/lib/chart/chart-theme.ts';
import type { LatestValue } from '@/lib/chart/latest-value.ts';

const label = (name: string): string => name.replace('_', ' ').toUpperCase();

export interface ChartLegendProps {
  readonly feed: LatestValue<BarLegend | null>;
  readonly formatTime: (epochSeconds: number) => string;
  /** The overlays switched on. */
  readonly lines: readonly string[];
}

export function ChartLegend({ feed, formatTime, lines: shown }: ChartLegendProps) {
  const legend = useSyncExternalStore(feed.subscribe, feed.get, () => null);
  if (!legend) return null;
  const lines = legend.lines.filter((l) => shown.includes(l.name));
  const tone = `legend-${legend.direction}`;
  return (
    <div className="chart-legend" data-testid="chart-legend" data-time={legend.time} data-latest={legend.latest}>
      <div className="chart-legend-row">
        <span className="muted" data-testid="legend-time">
          {formatTime(legend.time)}
        </span>
        <span>
          O <b className={tone}>{legend.open}</b>
        </span>
        <span>
          H <b className={tone}>{legend.high}</b>
        </span>
        <span>
          L <b className={tone}>{legend.low}</b>
        </span>
        <span>
          C{' '}
          <b className={tone} data-testid="legend-close">
            {legend.close}
          </b>
        </span>
        <b className={tone} data-testid="legend-change">
          {legend.change}
        </b>
        <span>
          Vol <b>{legend.volume}</b>
        </span>
      </div>
      {lines.length > 0 && (
        <div className="chart-legend-row">
          {lines.map((l) => (
            <span key={l.name} style={{ color: lineColor(l.name) }}>
              {label(l.name)} <b>{l.value}</b>
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
