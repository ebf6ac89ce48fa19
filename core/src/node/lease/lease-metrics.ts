// The lease figures on a service's /metrics: units held by this instance, live instances, retry cycles.
import { Counter, Gauge, type Registry } from 'prom-client';

export interface LeaseFigures {
  readonly held: number;
  readonly liveInstances: number;
}

export interface LeaseMetrics {
  readonly cycles: Counter;
}

export function createLeaseMetrics(registry: Registry, figures: () => LeaseFigures): LeaseMetrics {
  new Gauge({
    name: 'lease_units_held',
    help: 'Units of work (contracts, targets, runs) this instance holds the lease of',
    registers: [registry],
    collect() {
      this.set(figures().held);
    },
  });
  new Gauge({
    name: 'lease_live_instances',
    help: 'Instances of this service with a lease session (this one included), as of the last cycle',
    registers: [registry],
    collect() {
      this.set(figures().liveInstances);
    },
  });
  return {
    cycles: new Counter({
      name: 'lease_cycles_total',
      help: 'Lease retry cycles completed (each tries the units not held, every leases.retry_ms)',
      registers: [registry],
    }),
  };
}
