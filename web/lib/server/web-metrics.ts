// The web server's Prometheus registry (served on /metrics): API latency per route, and Node's
// defaults. Held on globalThis: Next.js bundles instrumentation and each route separately, and
// all of them must count into the one registry.
import { LATENCY_BUCKETS_SECONDS } from '@barstream/core';
import { createMetricsRegistry } from '@barstream/core/node';
import { Histogram, type Registry } from 'prom-client';

export interface WebMetrics {
  readonly registry: Registry;
  readonly apiLatency: Histogram<'route' | 'method' | 'status'>;
}

const holder = globalThis as typeof globalThis & { __barstreamWebMetrics?: WebMetrics };

export function webMetrics(): WebMetrics {
  if (holder.__barstreamWebMetrics) return holder.__barstreamWebMetrics;
  const registry = createMetricsRegistry('web');
  const apiLatency = new Histogram({
    name: 'web_api_request_duration_seconds',
    help: 'An /api request received → its answer written, per route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [...LATENCY_BUCKETS_SECONDS],
    registers: [registry],
  });
  holder.__barstreamWebMetrics = { registry, apiLatency };
  return holder.__barstreamWebMetrics;
}
