// The alerter's Prometheus metrics.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export function createAlerterMetrics(registry: Registry, inFlight: () => number) {
  return {
    alerts: new Counter({ name: 'alerter_alerts_stored_total', help: 'New alerts stored', registers: [registry] }),
    retracted: new Counter({
      name: 'alerter_alerts_retracted_total',
      help: 'Alerts retracted because the analyzer withdrew their signal',
      registers: [registry],
    }),
    outcomes: new Counter({
      name: 'alerter_delivery_attempts_total',
      help: 'Delivery attempts by outcome (delivered, retrying, dead, stale, cancelled: withdrawn before it was sent)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    attemptSeconds: new Histogram({
      name: 'alerter_delivery_attempt_seconds',
      help: 'Duration of one delivery attempt',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'alerter_deliveries_in_flight',
      help: 'Delivery attempts running now',
      registers: [registry],
      collect() {
        this.set(inFlight());
      },
    }),
  };
}
