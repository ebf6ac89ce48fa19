// Registers test contracts in `contracts` as the simulated provider's, each with a 0.25 tick and the UTC
// calendar: what a flush or bar test needs before it writes their bars and ticks.
import type { Pool } from '../../core/src/node/db-pool.ts';
import { syncContracts } from '../../ingester/src/contract-sync.ts';

export async function syncSimulatedContracts(pool: Pool, ids: readonly string[]): Promise<void> {
  await syncContracts(
    pool,
    ids.map((id) => ({ id, provider: 'simulated', symbol: id, name: id, description: '', tick_size: 0.25, session_calendar: 'utc' })),
  );
}
