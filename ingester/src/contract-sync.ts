// Keeps the contracts table in step with the configured contracts the ingester runs.
import type { ContractSettings } from '@barstream/core';
import type { Pool } from '@barstream/core/node';

export async function syncContracts(pool: Pool, contracts: readonly ContractSettings[]): Promise<void> {
  if (contracts.length === 0) return;
  await pool.query(
    `INSERT INTO contracts (id, provider, symbol, name, description, tick_size, session_calendar)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[])
     ON CONFLICT (id) DO UPDATE SET provider = EXCLUDED.provider, symbol = EXCLUDED.symbol, name = EXCLUDED.name,
       description = EXCLUDED.description, tick_size = EXCLUDED.tick_size,
       session_calendar = EXCLUDED.session_calendar, updated_at = now()`,
    [
      contracts.map((c) => c.id),
      contracts.map((c) => c.provider),
      contracts.map((c) => c.symbol),
      contracts.map((c) => c.name || c.symbol),
      contracts.map((c) => c.description),
      contracts.map((c) => c.tick_size),
      contracts.map((c) => c.session_calendar),
    ],
  );
}
