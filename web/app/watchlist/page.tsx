// /watchlist: the contracts rules with `contracts: watchlist` apply to (and the ingester subscribes to).
import type { Metadata } from 'next';
import { WatchlistEditor } from '@/components/alerts/watchlist-editor.tsx';
import { listWatchlist } from '@/lib/queries/watchlist.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Watchlist' };

export default async function WatchlistPage() {
  const [{ entries }, contracts] = await Promise.all([
    listWatchlist(db()),
    db().contract.findMany({ select: { id: true }, orderBy: { id: 'asc' } }),
  ]);
  return (
    <section className="watchlist-page">
      <h1>Watchlist</h1>
      <WatchlistEditor initial={entries} contracts={contracts.map((c) => c.id)} />
    </section>
  );
}
