// Overview: every stored contract with its last price, session change, tick age and last signal.
import type { Metadata } from 'next';
import { AutoRefresh } from '@/components/overview/auto-refresh.tsx';
import { ContractTable } from '@/components/overview/contract-table.tsx';
import { ErrorState } from '@/components/error-state.tsx';
import { loadOverview } from '@/lib/overview.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Contracts' };

/** Often enough to follow prices on the overview, rarely enough to cost the database nothing. */
const REFRESH_SECONDS = 10;

export default async function OverviewPage() {
  const overview = await loadOverview();
  if (overview.error !== null) {
    return (
      <>
        <AutoRefresh seconds={REFRESH_SECONDS} />
        <ErrorState title="Contracts unavailable" message={overview.error} />
      </>
    );
  }
  return (
    <section>
      <AutoRefresh seconds={REFRESH_SECONDS} />
      <h1>Contracts</h1>
      {overview.rows.length === 0
        ? <p className="muted">No contracts stored yet. Start the ingester, then reload.</p>
        : <ContractTable rows={overview.rows} timeframe={overview.timeframe} renderedAt={overview.renderedAt} />}
    </section>
  );
}
