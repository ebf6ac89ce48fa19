// The watchlist the rules apply to: seeded once when the table is empty, read as the active contracts.
import { channels } from '@barstream/core';
import { inTransaction, type Pool } from '@barstream/core/node';

/** Inserts the seed contracts when the table holds no row at all (a user's emptied list stays empty). */
export async function seedWatchlist(pool: Pool, seed: readonly string[]): Promise<string[]> {
  if (seed.length === 0) return [];
  return inTransaction(pool, async (client) => {
    // One seeder at a time: two alerters starting together must not both see an empty table.
    await client.query('LOCK TABLE watchlist IN SHARE ROW EXCLUSIVE MODE');
    const { rows } = await client.query('SELECT 1 FROM watchlist LIMIT 1');
    if (rows.length > 0) return [];
    await client.query(`INSERT INTO watchlist (contract_id, notes) SELECT c, 'seeded by the alerter' FROM unnest($1::text[]) AS c`, [seed]);
    for (const contract of seed) {
      await client.query('SELECT pg_notify($1, $2)', [
        channels.watchlistChanged.name,
        JSON.stringify({ type: 'watchlist_changed', contract_id: contract, action: 'added' }),
      ]);
    }
    return [...seed];
  });
}

export async function readWatchlist(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ contract_id: string }>('SELECT contract_id FROM watchlist WHERE is_active ORDER BY contract_id');
  return rows.map((r) => r.contract_id);
}
