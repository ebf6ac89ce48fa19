// /strategies: every run with its status, PnL and drawdown and its start/stop/emergency stop
// buttons, the emergency stop of every running run, and the stored strategies.
import type { Metadata } from 'next';
import Link from 'next/link';
import { EmergencyStopAll, RunActions } from '@/components/trading/run-actions.tsx';
import { TradesLive } from '@/components/trading/trades-live.tsx';
import { listRuns } from '@/lib/queries/runs.ts';
import { listStrategies } from '@/lib/queries/strategies.ts';
import { db } from '@/lib/server/db.ts';
import { webConfig } from '@/lib/server/config.ts';
import { broadcasterEndpoint } from '@/lib/trends-view.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Strategies' };

/** Runs listed, newest first. */
const RUNS_SHOWN = 200;

const tone = (text: string | null): string => (text === null || text === '0' ? '' : text.startsWith('-') ? 'loss' : 'gain');

export default async function StrategiesPage() {
  const [{ runs }, { strategies }] = await Promise.all([
    listRuns(db(), { status: undefined, kind: undefined, strategyId: undefined, limit: RUNS_SHOWN }),
    listStrategies(db()),
  ]);
  const anyActive = runs.some((r) => r.status === 'running' || r.status === 'created');
  return (
    <section className="strategies-page">
      <TradesLive broadcaster={broadcasterEndpoint(webConfig().settings)} contractId="*" {...(anyActive ? { pollMs: 5_000 } : {})} />
      <header className="run-header">
        <h1>Strategy runs</h1>
        <p>
          <Link href="/backtest">Run a backtest</Link> · <EmergencyStopAll />
        </p>
      </header>
      {runs.length === 0 ? (
        <p className="muted">No runs yet. Start a backtest, or create a paper run through POST /api/runs.</p>
      ) : (
        <table className="data-table" data-testid="runs-table">
          <thead>
            <tr>
              <th>Run</th>
              <th>Strategy</th>
              <th>Kind</th>
              <th>Contract</th>
              <th>Status</th>
              <th className="num">PnL</th>
              <th className="num">Max drawdown</th>
              <th className="num">Equity</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.run_id} data-run-id={r.run_id}>
                <td>
                  <Link href={`/runs/${r.run_id}`}>#{r.run_id}</Link>
                </td>
                <td>{r.strategy_id ?? <span className="muted">inline</span>}</td>
                <td>{r.kind}</td>
                <td>
                  {r.contract_id} {r.timeframe}
                </td>
                <td>
                  <span className={`status status-${r.status}`} data-testid="run-status">
                    {r.status}
                  </span>
                  {r.kind === 'backtest' && r.status === 'running' && ` ${(r.progress * 100).toFixed(0)}%`}
                </td>
                <td className={`num ${tone(r.net_pnl)}`}>{r.net_pnl ?? '—'}</td>
                <td className="num">{r.max_drawdown ?? '—'}</td>
                <td className="num">{r.equity ?? '—'}</td>
                <td>
                  <RunActions runId={r.run_id} kind={r.kind} status={r.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Strategies</h2>
      {strategies.length === 0 ? (
        <p className="muted">No strategies stored: add config/strategies/*.yaml, or POST /api/strategies.</p>
      ) : (
        <table className="data-table" data-testid="strategies-table">
          <thead>
            <tr>
              <th>Id</th>
              <th>Kind</th>
              <th>Contract</th>
              <th>Source</th>
              <th>Description</th>
            </tr>
          </thead>
          <tbody>
            {strategies.map((s) => (
              <tr key={s.strategy_id}>
                <td>{s.strategy_id}</td>
                <td>{s.kind}</td>
                <td>
                  {s.contract_id} {s.timeframe}
                </td>
                <td>{s.source === 'file' ? 'config file' : 'API'}</td>
                <td>{s.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
