// The database of a one-shot analyzer command (score, labels): config read, migrations applied and a
// small pool opened only when the command asks for it (a usage error needs none), closed at the end.
import { applyMigrations } from '@barstream/prisma';
import { createPool, databaseUrl, loadConfig, type Pool, type Queryable } from '@barstream/core/node';

export interface CommandDatabase {
  readonly pool: () => Promise<Pool>;
  readonly db: () => Promise<Queryable>;
}

export async function withCommandDatabase<T>(work: (database: CommandDatabase) => Promise<T>): Promise<T> {
  let opened: Promise<Pool> | undefined;
  const pool = (): Promise<Pool> => {
    opened ??= (async () => {
      const url = databaseUrl(loadConfig().settings);
      await applyMigrations(url);
      return createPool(url, { max: 2, applicationName: 'barstream-analyzer-cli' });
    })();
    return opened;
  };
  const db = async (): Promise<Queryable> => {
    const p = await pool();
    return { query: (text, values) => p.query(text, [...values]) };
  };
  try {
    return await work({ pool, db });
  } finally {
    if (opened) await (await opened).end();
  }
}
