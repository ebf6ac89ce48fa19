// Gauges of a node-postgres pool, read at each scrape: how many callers wait for a connection (the
// pool's wait; above 0 for long, the pool or the database is the bottleneck), and its connections.
import type pg from 'pg';
import { Gauge, type Registry } from 'prom-client';

export function registerPoolMetrics(registry: Registry, pool: pg.Pool): void {
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
