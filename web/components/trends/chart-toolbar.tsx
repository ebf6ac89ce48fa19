// Above the chart: what is shown, the overlay and marker toggles, the timezone switch and the
// connection badge.
import type { ReactNode } from 'react';
import type { ConnectionStatus } from '@/lib/chart/broadcaster-socket.ts';
import { type ChartPreferences, lineVisible } from '@/lib/chart/chart-preferences.ts';
import { lineColor } from '@/lib/chart/chart-theme.ts';
import { ConnectionBadge } from './connection-badge.tsx';
import { SmcToggles } from './smc/smc-toggles.tsx';

export interface ChartToolbarProps {
  readonly title: string;
  readonly status: ConnectionStatus;
  readonly lineNames: readonly string[];
  readonly analyzers: readonly string[];
  readonly exchangeTimeZone: string | null;
  readonly preferences: ChartPreferences;
  readonly onChange: (next: ChartPreferences) => void;
  /** More controls after the toggles (the trend-labelling switch). */
  readonly extra?: ReactNode;
}

const label = (name: string): string => name.replace('_', ' ').toUpperCase();

export function ChartToolbar({
  title,
  status,
  lineNames,
  analyzers,
  exchangeTimeZone,
  preferences: p,
  onChange,
  extra,
}: ChartToolbarProps) {
  const hidden = new Set(p.hiddenAnalyzers);
  const toggleAnalyzer = (id: string, on: boolean): void => {
    const next = new Set(hidden);
    if (on) next.delete(id);
    else next.add(id);
    onChange({ ...p, hiddenAnalyzers: [...next].sort() });
  };
  return (
    <div className="chart-toolbar">
      <span className="chart-title">{title}</span>
      <fieldset className="chart-toggles" aria-label="Overlays and markers">
        {lineNames.map((name) => (
          <label key={name} style={{ color: lineColor(name) }}>
            <input
              type="checkbox"
              checked={lineVisible(p, name)}
              data-testid={`toggle-${name}`}
              onChange={(e) => onChange({ ...p, lines: { ...p.lines, [name]: e.target.checked } })}
            />
            {label(name)}
          </label>
        ))}
        <label>
          <input
            type="checkbox"
            checked={p.trendStarts}
            data-testid="toggle-trend-starts"
            onChange={(e) => onChange({ ...p, trendStarts: e.target.checked })}
          />
          Trend starts
        </label>
        {analyzers.map((id) => (
          <label key={id}>
            <input
              type="checkbox"
              checked={!hidden.has(id)}
              data-testid={`toggle-analyzer-${id}`}
              onChange={(e) => toggleAnalyzer(id, e.target.checked)}
            />
            {id}
          </label>
        ))}
        <SmcToggles visibility={p.smc} onChange={(smc) => onChange({ ...p, smc })} />
      </fieldset>
      {extra}
      <label className="chart-zone">
        Times
        <select
          value={exchangeTimeZone ? p.timeZone : 'utc'}
          disabled={!exchangeTimeZone}
          data-testid="timezone-select"
          onChange={(e) => onChange({ ...p, timeZone: e.target.value === 'utc' ? 'utc' : 'exchange' })}
        >
          <option value="utc">UTC</option>
          {exchangeTimeZone && <option value="exchange">{exchangeTimeZone}</option>}
        </select>
      </label>
      <ConnectionBadge status={status} />
    </div>
  );
}
