// /runs/[id]: one strategy run — status, stats, equity and drawdown charts, the price chart with its
// entries/exits and open SL/TP, trades (paged), orders, positions; live while it runs.
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { RunActions } from '@/components/trading/run-actions.tsx';
import { EquityCharts, PriceChart } from '@/components/trading/run-charts.tsx';
import { OrdersTable, PositionsTable, RunStats, TradesTable } from '@/components/trading/run-tables.tsx';
import { TradesLive } from '@/components/trading/trades-live.tsx';
import { drawdownLine, equityLine, fillMarkers, openPositionLines } from '@/lib/trading/run-chart-data.ts';
import { loadRunPage, TRADES_PER_PAGE } from '@/lib/trading/run-page.ts';

export const dynamic = 'force-dynamic';

type Params = Promise<{ id: string }>;
type Search = Promise<{ page?: string }>;

export async function generateMetadata({ params }: { readonly params: Params }): Promise<Metadata> {
  return { title: `Run ${(await params).id}` };
}

/** While a run is not finished, how often the page re-reads it besides each trade_update. */
const POLL_MS = 2_000;
const ACTIVE = new Set(['created', 'running']);

export default async function RunPage({ params, searchParams }: { readonly params: Params; readonly searchParams: Search }) {
  const view = await loadRunPage((await params).id, (await searchParams).page);
  if (!view) notFound();
  const { run, report } = view.detail;
  const active = ACTIVE.has(run.status);
  return (
    <section className="run-page">
      <TradesLive
        broadcaster={view.broadcaster}
        contractId={run.contract_id}
        runId={run.run_id}
        showLiveMark={run.kind === 'paper' && run.fill_model === 'tick'}
        {...(active ? { pollMs: POLL_MS } : {})}
      />
      <header className="run-header">
        <h1>
          Run {run.run_id} <span className="muted">{run.strategy_id ?? 'inline config'}</span>
        </h1>
        <p>
          <span className={`status status-${run.status}`} data-testid="run-status">
            {run.status}
          </span>{' '}
          {run.kind} · {run.contract_id} · {run.timeframe} · {run.fill_model} fills
          {run.range_from !== null && run.range_to !== null && ` · ${run.range_from.slice(0, 10)} → ${run.range_to.slice(0, 10)}`}
        </p>
        {run.kind === 'backtest' && active && (
          <p>
            <progress max={1} value={run.progress} data-testid="run-progress" /> {(run.progress * 100).toFixed(0)}%
          </p>
        )}
        {run.halt_reason !== null && (
          <p className="action-error">
            Halted: {run.halt_reason}
            {run.halt_detail ? ` — ${run.halt_detail}` : ''}
          </p>
        )}
        {run.error !== null && <p className="action-error">Failed: {run.error}</p>}
        <p>
          Capital {run.starting_capital} · equity {run.equity ?? '—'} · PnL {run.net_pnl ?? '—'} · max drawdown {run.max_drawdown ?? '—'}
        </p>
        <RunActions runId={run.run_id} kind={run.kind} status={run.status} />
        <p>
          <Link href="/strategies">All runs</Link>
        </p>
      </header>
      <h2>Stats</h2>
      <RunStats report={report} />
      <EquityCharts equity={equityLine(view.equity.items)} drawdown={drawdownLine(view.equity.items)} />
      <PriceChart
        bars={view.bars.map((b) => ({ time: Math.floor(b.time / 1000), open: b.open, high: b.high, low: b.low, close: b.close }))}
        markers={fillMarkers(
          view.fills,
          view.bars.map((b) => b.time),
        )}
        lines={openPositionLines(view.positions, view.orders.items)}
      />
      <h2>Trades</h2>
      <TradesTable runId={run.run_id} trades={view.trades} page={view.tradesPage} perPage={TRADES_PER_PAGE} />
      <h2>Positions</h2>
      <PositionsTable positions={view.positions} />
      <h2>Orders</h2>
      <OrdersTable orders={view.orders} />
    </section>
  );
}
