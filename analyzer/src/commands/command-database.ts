// The database of a one-shot analyzer command: opened (migrated) only when the command asks for it —
// a usage error needs none — by the opener the entry point hands in (scripts/analyzer.ts: DATABASE_URL,
// or the embedded server, started for the command when `npm start` is not running it). The entry point
// closes it.
import type { Pool, Queryable } from '@barstream/core/node';

export type OpenCommandPool = () => Promise<Pool>;

export interface CommandDatabase {
  readonly pool: () => Promise<Pool>;
  readonly db: () => Promise<Queryable>;
}

export function commandDatabase(open: OpenCommandPool): CommandDatabase {
  let opened: Promise<Pool> | undefined;
  const pool = (): Promise<Pool> => (opened ??= open());
  const db = async (): Promise<Queryable> => {
    const p = await pool();
    return { query: (text, values) => p.query(text, [...values]) };
  };
  return { pool, db };
}
