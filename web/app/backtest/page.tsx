// /backtest: run a backtest of a stored strategy on stored bars, watch its progress, then its run page.
import type { Metadata } from 'next';
import { BacktestForm } from '@/components/trading/backtest-form.tsx';
import { configuredTimeframes, listContracts } from '@/lib/queries/contracts.ts';
import { listStrategies } from '@/lib/queries/strategies.ts';
import { db } from '@/lib/server/db.ts';
import { webConfig } from '@/lib/server/config.ts';
import { defaultBacktestRange } from '@/lib/trading/backtest-range.ts';
import { broadcasterEndpoint } from '@/lib/trends-view.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Backtest' };

export default async function BacktestPage() {
  const [{ strategies }, contracts] = await Promise.all([listStrategies(db()), listContracts()]);
  const range = defaultBacktestRange();
  return (
    <section className="backtest-page">
      <h1>Backtest</h1>
      {strategies.length === 0 ? (
        <p className="muted">No strategies stored: add config/strategies/*.yaml, or POST /api/strategies.</p>
      ) : (
        <BacktestForm
          strategies={strategies.map((s) => ({ id: s.strategy_id, contractId: s.contract_id, timeframe: s.timeframe }))}
          contracts={contracts.map((c) => c.id)}
          timeframes={configuredTimeframes()}
          broadcaster={broadcasterEndpoint(webConfig().settings)}
          from={range.from}
          to={range.to}
        />
      )}
    </section>
  );
}
