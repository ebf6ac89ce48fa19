// GET /metrics: the web server's Prometheus metrics (web/lib/server/web-metrics.ts), as each
// service serves its own.
import { webMetrics } from '@/lib/server/web-metrics.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(): Promise<Response> {
  const { registry } = webMetrics();
  return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } });
}
