// The /status page's tables: services up or down, pipeline p99 per stage, feed age per contract,
// analyzer watermarks. Server components: the page re-renders them (AutoRefresh).
import type { StatusReport } from '@/lib/status/load-status.ts';

function milliseconds(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  const ms = seconds * 1000;
  return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms`;
}

function windowText(spanMs: number | undefined, up: boolean): string {
  if (!up) return 'service down';
  return spanMs === undefined ? 'since service start' : `last ${Math.round(spanMs / 1000)} s`;
}

export function ServicesTable({ services }: { readonly services: StatusReport['services'] }) {
  return (
    <table className="contract-table" aria-label="Services">
      <thead>
        <tr>
          <th>Service</th>
          <th>State</th>
          <th>Metrics</th>
        </tr>
      </thead>
      <tbody>
        {services.map((s) => (
          <tr key={s.name} data-service={s.name}>
            <td className="contract-id">{s.name}</td>
            <td className={s.up ? 'change-up' : 'change-down'}>{s.up ? 'up' : `down (${s.reason})`}</td>
            <td className="muted">{s.baseUrl}/metrics</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function StagesTable({ stages }: { readonly stages: StatusReport['stages'] }) {
  return (
    <table className="contract-table" aria-label="Pipeline latency">
      <thead>
        <tr>
          <th>Stage</th>
          <th className="num">p99</th>
          <th className="num">Observations</th>
          <th>Window</th>
        </tr>
      </thead>
      <tbody>
        {stages.map((s) => (
          <tr key={`${s.service}/${s.metric}`} data-metric={s.metric} data-service={s.service}>
            <td>
              {s.label} <span className="muted">({s.service})</span>
            </td>
            <td className="num" data-p99>
              {s.beyondBuckets ? '> ' : ''}
              {milliseconds(s.p99)}
            </td>
            <td className="num">{s.count}</td>
            <td className="muted">{windowText(s.spanMs, s.up)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Older than this, a contract's feed is shown as stale. */
const STALE_SECONDS = 60;

export function FeedTable({ tradeAges }: { readonly tradeAges: StatusReport['tradeAges'] }) {
  if (tradeAges.length === 0) return <p className="muted">No trades received (or the ingester is down).</p>;
  return (
    <table className="contract-table" aria-label="Last tick age">
      <thead>
        <tr>
          <th>Contract</th>
          <th className="num">Last tick</th>
        </tr>
      </thead>
      <tbody>
        {tradeAges.map((t) => (
          <tr key={t.contract}>
            <td className="contract-id">{t.contract}</td>
            <td className={`num${t.seconds > STALE_SECONDS ? ' stale' : ''}`}>{t.seconds.toFixed(1)} s ago</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function WatermarksTable({ watermarks }: { readonly watermarks: StatusReport['watermarks'] }) {
  if (watermarks.length === 0) return <p className="muted">No analyzer targets (or the analyzer is down).</p>;
  return (
    <table className="contract-table" aria-label="Watermarks">
      <thead>
        <tr>
          <th>Target or study</th>
          <th>Committed through</th>
          <th>State</th>
        </tr>
      </thead>
      <tbody>
        {watermarks.map((w) => (
          <tr key={w.unit}>
            <td className="contract-id">{w.unit}</td>
            <td>{w.through ?? '—'}</td>
            <td className="muted">{w.state}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
