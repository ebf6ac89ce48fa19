// The overview table: one row per contract, each linking to its trends chart.
import Link from 'next/link';
import { formatChange, formatPrice } from '@/lib/format.ts';
import type { ContractSummary } from '@/lib/queries/market-summary.ts';
import { trendsHref } from '@/lib/trends-href.ts';
import { TickAge } from './tick-age.tsx';

export interface ContractTableProps {
  readonly rows: readonly ContractSummary[];
  readonly timeframe: string;
  readonly renderedAt: string;
}

function direction(change: number | null): string {
  if (change === null || change === 0) return 'flat';
  return change > 0 ? 'up' : 'down';
}

export function ContractTable({ rows, timeframe, renderedAt }: ContractTableProps) {
  return (
    <table className="contract-table" data-testid="contract-list">
      <thead>
        <tr>
          <th scope="col">Contract</th>
          <th scope="col" className="num">Last</th>
          <th scope="col" className="num">Session change</th>
          <th scope="col">Last tick</th>
          <th scope="col">Last signal</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const tick = r.contract.tick_size;
          const href = trendsHref(r.contract.id, timeframe);
          return (
            <tr key={r.contract.id} data-testid="contract-row" data-contract={r.contract.id}>
              <th scope="row">
                <Link href={href} className="contract-link">
                  <span className="contract-id">{r.contract.id}</span>
                  <span className="muted">{r.contract.name || r.contract.symbol}</span>
                </Link>
              </th>
              <td className="num" data-testid="last-price">{formatPrice(r.lastPrice, tick)}</td>
              <td className={`num change-${direction(r.change)}`}
                title={r.sessionOpenAt ? `since the session opened at ${r.sessionOpenAt} (${formatPrice(r.sessionOpenPrice, tick)})` : 'no session calendar'}>
                {formatChange(r.change, r.changePercent, tick)}
              </td>
              <td><TickAge at={r.lastTickAt} renderedAt={renderedAt} /></td>
              <td>
                {r.lastSignal ? (
                  <Link href={trendsHref(r.contract.id, r.lastSignal.timeframe)} title={r.lastSignal.timestamp}>
                    {r.lastSignal.signalType} · {r.lastSignal.analyzerId} · {r.lastSignal.timeframe}
                  </Link>
                ) : <span className="muted">none yet</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
