// Overview: the stored contracts, each linking to its trends chart.
import type { Metadata } from 'next';
import Link from 'next/link';
import { ErrorState } from '@/components/error-state.tsx';
import { loadOverview } from '@/lib/overview.ts';
import { trendsHref } from '@/lib/trends-href.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Contracts' };

export default async function OverviewPage() {
  const overview = await loadOverview();
  if (overview.error !== null) return <ErrorState title="Contracts unavailable" message={overview.error} />;
  const tf = overview.timeframes[0] ?? '1m';
  return (
    <section>
      <h1>Contracts</h1>
      {overview.contracts.length === 0 ? (
        <p className="muted">No contracts stored yet. Start the ingester, then reload.</p>
      ) : (
        <ul className="contract-list" data-testid="contract-list">
          {overview.contracts.map((c) => (
            <li key={c.id}>
              <Link href={trendsHref(c.id, tf)}>
                <span className="contract-id">{c.id}</span>
                <span className="muted">{c.name || c.symbol}</span>
                <span className="muted">{c.provider}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
