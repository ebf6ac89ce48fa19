// A node-postgres pool's metrics: how long each checkout waited for a connection (a histogram, so
// p99 is readable per service; a tail here means the pool or the database is the bottleneck), how
// many callers wait at each scrape, and its connections.
import type pg from 'pg';
import { Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS_SECONDS } from '../metrics/latency-buckets.ts';
import { timePoolWaits } from './pool-wait-timer.ts';

/** Registers the pool's metrics and starts timing its checkouts (once per pool and registry). */
export function registerPoolMetrics(registry: Registry, pool: pg.Pool): void {
  const wait = new Histogram({
    name: 'db_pool_wait_seconds',
    help: 'Time a query or checkout waited for a connection from the pool (including connecting a new one)',
    buckets: [...LATENCY_BUCKETS_SECONDS],
    registers: [registry],
  });
  timePoolWaits(pool, (seconds) => wait.observe(seconds));
  new Gauge({
    name: 'db_pool_waiting_clients',
    help: 'Callers waiting for a database connection from the pool',
    registers: [registry],
    collect() {
      this.set(pool.waitingCount);
    },
  });
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database connections of the pool, by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'busy' }, pool.totalCount - pool.idleCount);
    },
  });
}
