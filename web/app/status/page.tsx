// /status: is the pipeline running and how fast, from the services' own /health and /metrics.
import type { Metadata } from 'next';
import { AutoRefresh } from '@/components/overview/auto-refresh.tsx';
import { FeedTable, ServicesTable, StagesTable, WatermarksTable } from '@/components/status/status-tables.tsx';
import { loadStatus } from '@/lib/status/load-status.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Status' };

/** Each refresh is a scrape the 5-minute window can subtract from. */
const REFRESH_SECONDS = 15;

export default async function StatusPage() {
  const status = await loadStatus();
  return (
    <section className="status">
      <AutoRefresh seconds={REFRESH_SECONDS} />
      <h1>Status</h1>
      <p className="overview-status">
        {status.clients === undefined ? 'Broadcaster down' : `${status.clients} WebSocket client${status.clients === 1 ? '' : 's'}`} · read{' '}
        {new Date(status.renderedAt).toISOString()}
      </p>
      <h2>Services</h2>
      <ServicesTable services={status.services} />
      <h2>Pipeline p99 (last 5 minutes)</h2>
      <StagesTable stages={status.stages} />
      <h2>Feed</h2>
      <FeedTable tradeAges={status.tradeAges} />
      <h2>Watermarks</h2>
      <WatermarksTable watermarks={status.watermarks} />
    </section>
  );
}
