import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { timeApiRequest } from './api-timing.ts';
import { webMetrics } from './web-metrics.ts';

async function count(route: string, status: string): Promise<number> {
  const metric = (await webMetrics().apiLatency.get()).values.find(
    (v) => v.metricName === 'web_api_request_duration_seconds_count' && v.labels.route === route && v.labels.status === status,
  );
  return metric?.value ?? 0;
}

describe('timeApiRequest', () => {
  it('observes each /api answer once under its route and status, and nothing else', async () => {
    const server = createServer((req, res) => {
      timeApiRequest(req, res);
      res.writeHead(req.url?.startsWith('/api/trend-labels/') ? 404 : 200).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const before = await count('/api/trend-labels/{id}', '404');
    try {
      await (await fetch(`${base}/api/trend-labels/5?x=1`)).text();
      await (await fetch(`${base}/api/trend-labels/6`)).text();
      await (await fetch(`${base}/trends`)).text();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(await count('/api/trend-labels/{id}', '404')).toBe(before + 2);
    expect(await count('/trends', '200')).toBe(0);
  });
});
