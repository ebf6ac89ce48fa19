// Keeps the contracts table in step with the configured contracts the ingester runs (with their trading
// instrument columns: tick value, multiplier, quantity step, initial margin; NULL when not configured).
import type { ContractSettings } from '@barstream/core';
import type { Pool } from '@barstream/core/node';

export async function syncContracts(pool: Pool, contracts: readonly ContractSettings[]): Promise<void> {
  if (contracts.length === 0) return;
  await pool.query(
    `INSERT INTO contracts (id, provider, symbol, name, description, tick_size, session_calendar,
       instrument_kind, tick_value, multiplier, qty_step, initial_margin)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[],
       $8::text[], $9::float8[], $10::float8[], $11::float8[], $12::float8[])
     ON CONFLICT (id) DO UPDATE SET provider = EXCLUDED.provider, symbol = EXCLUDED.symbol, name = EXCLUDED.name,
       description = EXCLUDED.description, tick_size = EXCLUDED.tick_size,
       session_calendar = EXCLUDED.session_calendar, instrument_kind = EXCLUDED.instrument_kind,
       tick_value = EXCLUDED.tick_value, multiplier = EXCLUDED.multiplier, qty_step = EXCLUDED.qty_step,
       initial_margin = EXCLUDED.initial_margin, updated_at = now()`,
    [
      contracts.map((c) => c.id),
      contracts.map((c) => c.provider),
      contracts.map((c) => c.symbol),
      contracts.map((c) => c.name || c.symbol),
      contracts.map((c) => c.description),
      contracts.map((c) => c.tick_size),
      contracts.map((c) => c.session_calendar),
      contracts.map((c) => c.instrument_kind ?? null),
      contracts.map((c) => c.tick_value ?? null),
      contracts.map((c) => c.multiplier ?? null),
      contracts.map((c) => c.qty_step ?? null),
      contracts.map((c) => c.initial_margin ?? null),
    ],
  );
}
