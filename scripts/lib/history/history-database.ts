// The database the history commands write to: DATABASE_URL (database.url), else the embedded
// PostgreSQL, which is started for the command when `npm start` is not already running it. Migrated first.
import { resolve } from 'node:path';
import type { Settings } from '@barstream/core';
import { createPool, databaseUrl, type Pool } from '@barstream/core/node';
import { applyMigrations } from '@barstream/prisma';
import pg from 'pg';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../embedded-database.ts';

export interface HistoryDatabase {
  readonly url: string;
  readonly pool: Pool;
  /** True when this command started the embedded server (and stops it on close). */
  readonly startedEmbedded: boolean;
  close(): Promise<void>;
}

/**
 * Local buffers for the import's temporary table: at the default 8 MB a million-bar file spills to
 * temp files. Allocated only as used, and settable only before a session touches a temporary table.
 */
const TEMP_BUFFERS = '256MB';
const PROBE_TIMEOUT_MS = 2_000;

export async function openHistoryDatabase(
  settings: Settings,
  rootDir: string,
  options: { migrate?: boolean; poolSize?: number } = {},
): Promise<HistoryDatabase> {
  let url = databaseUrl(settings);
  let embedded: EmbeddedDatabase | undefined;
  if (!settings.database.url && !(await reachable(url))) {
    embedded = await startEmbeddedDatabase({
      dataDir: resolve(rootDir, settings.database.embedded_data_dir),
      port: settings.database.embedded_port,
    });
    url = embedded.url;
  }
  try {
    if (options.migrate ?? true) await applyMigrations(url);
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  const pool = historyPool(url, options.poolSize);
  return {
    url,
    pool,
    startedEmbedded: embedded !== undefined,
    close: async () => {
      await pool.end();
      await embedded?.stop();
    },
  };
}

/** A pool whose sessions get room for the import's temporary table (a startup option, so it is set
 * before anything else runs on the connection). */
export function historyPool(url: string, max = 4): Pool {
  return createPool(withTempBuffers(url), { max, applicationName: 'barstream-history' });
}

function withTempBuffers(url: string): string {
  if (!URL.canParse(url)) return url;
  const u = new URL(url);
  u.searchParams.set('options', `${u.searchParams.get('options') ?? ''} -c temp_buffers=${TEMP_BUFFERS}`.trim());
  return u.toString();
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
