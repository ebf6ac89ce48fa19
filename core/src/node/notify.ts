// Sends NOTIFYs on a registry channel inside the caller's transaction (delivered only on commit).
import type pg from 'pg';
import { channels, type ChannelKey } from '../channels.ts';

const PER_STATEMENT = 500;

/** One statement per 500 payloads, each payload its own parameter: no array literal to escape. */
export async function notifyAll(client: pg.ClientBase, channel: ChannelKey, payloads: readonly string[]): Promise<void> {
  for (let start = 0; start < payloads.length; start += PER_STATEMENT) {
    const chunk = payloads.slice(start, start + PER_STATEMENT);
    const calls = chunk.map((_, i) => `pg_notify($1, $${i + 2})`).join(', ');
    await client.query(`SELECT ${calls}`, [channels[channel].name, ...chunk]);
  }
}
