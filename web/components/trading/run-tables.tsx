// The run page's tables (server-rendered): stats, trades (paged by links), orders, positions.
import Link from 'next/link';
import type { RecordPage, WireOrder, WirePosition, WireReport, WireTrade } from '@/lib/api/trading-schemas.ts';
import { reportRows } from '@/lib/trading/report-format.ts';

const signed = (text: string): string => (text.startsWith('-') ? 'loss' : text === '0' ? '' : 'gain');

export function RunStats({ report }: { readonly report: WireReport | null }) {
  if (report === null) return <p className="muted">No report yet: it appears with the run’s first equity point.</p>;
  return (
    <>
      <dl className="run-stats" data-testid="run-stats">
        {reportRows(report).map((row) => (
          <div key={row.key} data-stat={row.key}>
            <dt>{row.label}</dt>
            <dd>{row.value}</dd>
          </div>
        ))}
      </dl>
      <p className="muted small">Sharpe and Sortino: {report.annualisation}.</p>
    </>
  );
}

export function TradesTable({
  runId,
  trades,
  page,
  perPage,
}: {
  readonly runId: number;
  readonly trades: RecordPage<WireTrade>;
  readonly page: number;
  readonly perPage: number;
}) {
  const pages = Math.max(1, Math.ceil(trades.total / perPage));
  return (
    <>
      <table className="data-table" data-testid="trades-table">
        <thead>
          <tr>
            <th>#</th>
            <th>Side</th>
            <th>Entry</th>
            <th className="num">Entry price</th>
            <th>Exit</th>
            <th className="num">Exit price</th>
            <th className="num">Qty</th>
            <th className="num">PnL</th>
            <th className="num">Fees</th>
            <th className="num">Bars</th>
          </tr>
        </thead>
        <tbody>
          {trades.items.map((t) => (
            <tr key={t.trade_no}>
              <td>{t.trade_no}</td>
              <td>{t.side}</td>
              <td>{t.entry_time.replace('T', ' ').slice(0, 19)}</td>
              <td className="num">{t.entry_price}</td>
              <td>{t.exit_time.replace('T', ' ').slice(0, 19)}</td>
              <td className="num">{t.exit_price}</td>
              <td className="num">{t.qty}</td>
              <td className={`num ${signed(t.pnl)}`}>{t.pnl}</td>
              <td className="num">{t.fees}</td>
              <td className="num">{t.bars}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {trades.total === 0 && <p className="muted">No trades yet.</p>}
      {pages > 1 && (
        <nav className="pager" aria-label="Trades pages">
          {page > 1 && <Link href={`/runs/${runId}?page=${page - 1}`}>← Previous</Link>}
          <span>
            Page {page} of {pages} ({trades.total} trades)
          </span>
          {page < pages && <Link href={`/runs/${runId}?page=${page + 1}`}>Next →</Link>}
        </nav>
      )}
    </>
  );
}

export function OrdersTable({ orders }: { readonly orders: RecordPage<WireOrder> }) {
  if (orders.total === 0) return <p className="muted">No orders yet.</p>;
  return (
    <>
      {orders.total > orders.items.length && (
        <p className="muted small">
          The newest {orders.items.length} of {orders.total} orders.
        </p>
      )}
      <table className="data-table" data-testid="orders-table">
        <thead>
          <tr>
            <th>Client order id</th>
            <th>Role</th>
            <th>Side</th>
            <th>Type</th>
            <th className="num">Qty</th>
            <th className="num">Filled</th>
            <th className="num">Limit</th>
            <th className="num">Stop</th>
            <th>Status</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {[...orders.items].reverse().map((o) => (
            <tr key={o.client_order_id}>
              <td className="mono">{o.client_order_id}</td>
              <td>{o.role}</td>
              <td>{o.side}</td>
              <td>{o.order_type}</td>
              <td className="num">{o.qty}</td>
              <td className="num">{o.filled_qty}</td>
              <td className="num">{o.limit_price ?? ''}</td>
              <td className="num">{o.stop_price ?? ''}</td>
              <td>
                {o.status}
                {o.reason ? ` (${o.reason})` : ''}
              </td>
              <td>{o.updated_at.replace('T', ' ').slice(0, 19)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function PositionsTable({ positions }: { readonly positions: readonly WirePosition[] }) {
  if (positions.length === 0) return <p className="muted">No position yet.</p>;
  return (
    <table className="data-table" data-testid="positions-table">
      <thead>
        <tr>
          <th>Contract</th>
          <th className="num">Qty</th>
          <th className="num">Average entry</th>
          <th className="num">Realized PnL</th>
          <th>Updated</th>
        </tr>
      </thead>
      <tbody>
        {positions.map((p) => (
          <tr key={p.contract_id}>
            <td>{p.contract_id}</td>
            <td className="num">{p.qty}</td>
            <td className="num">{p.avg_price ?? ''}</td>
            <td className={`num ${signed(p.realized_pnl)}`}>{p.realized_pnl}</td>
            <td>{p.updated_at.replace('T', ' ').slice(0, 19)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
