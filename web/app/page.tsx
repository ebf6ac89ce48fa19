// Overview: every stored contract with its last price, session change, tick age and last signal,
// streamed from the broadcaster after the first render.
import type { Metadata } from 'next';
import { AutoRefresh } from '@/components/overview/auto-refresh.tsx';
import { ContractTable } from '@/components/overview/contract-table.tsx';
import { ErrorState } from '@/components/error-state.tsx';
import { loadOverview } from '@/lib/overview.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Contracts' };

/** While the database cannot be read: how often to try again. */
const RETRY_SECONDS = 10;

export default async function OverviewPage() {
  const overview = await loadOverview();
  if (overview.error !== null) {
    return (
      <>
        <AutoRefresh seconds={RETRY_SECONDS} />
        <ErrorState title="Contracts unavailable" message={overview.error} />
      </>
    );
  }
  return (
    <section>
      <h1>Contracts</h1>
      {overview.rows.length === 0 ? (
        <p className="muted">No contracts stored yet. Start the ingester, then reload.</p>
      ) : (
        <ContractTable
          rows={overview.rows}
          timeframes={overview.timeframes}
          renderedAt={overview.renderedAt}
          broadcaster={overview.broadcaster}
        />
      )}
    </section>
  );
}
