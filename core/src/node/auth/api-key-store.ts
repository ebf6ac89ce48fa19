// The api_keys table (prisma/migrations/011.do.api-keys.sql): create (the key is returned once and
// only its hash stored), list, revoke, and the lookups the web's access check makes.
import { type ApiKeyScope, hashApiKeySecret, newApiKey } from './api-key.ts';

/** What runs the SQL: a pg Pool or Client, or the web's Prisma client through its adapter. */
export interface SqlRunner {
  query<R extends object>(text: string, values: readonly unknown[]): Promise<readonly R[]>;
}

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly scope: ApiKeyScope;
  readonly prefix: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

interface Row {
  id: string;
  name: string;
  scope: ApiKeyScope;
  prefix: string;
  hash: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** What a key's prefix looks like (api-key.ts: 6 random bytes in hex). */
const KEY_PREFIX = /^[0-9a-f]{12}$/;

const COLUMNS = 'id::text AS id, name, scope, prefix, hash, created_at, last_used_at, revoked_at';

export class ApiKeyStore {
  constructor(private readonly sql: SqlRunner) {}

  /** Stores a new key's hash; the key text is in the answer and nowhere else. */
  async create(name: string, scope: ApiKeyScope): Promise<{ readonly record: ApiKeyRecord; readonly key: string }> {
    const { key, prefix, secret } = newApiKey();
    const hash = await hashApiKeySecret(secret);
    const [row] = await this.sql.query<Row>(
      `INSERT INTO api_keys (name, scope, prefix, hash) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [name, scope, prefix, hash],
    );
    if (!row) throw new Error('INSERT INTO api_keys returned no row');
    return { record: toRecord(row), key };
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (await this.sql.query<Row>(`SELECT ${COLUMNS} FROM api_keys ORDER BY id`, [])).map(toRecord);
  }

  /** Revokes the key with this id or prefix; undefined when there is none (already revoked: unchanged).
   * A prefix is 12 hex characters, and about 1 in 280 is all digits: 12 characters are always read as a
   * prefix, so only shorter (or longer) digit strings are ids. */
  async revoke(idOrPrefix: string): Promise<ApiKeyRecord | undefined> {
    const byId = /^\d{1,18}$/.test(idOrPrefix) && !KEY_PREFIX.test(idOrPrefix);
    const [row] = await this.sql.query<Row>(
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE ${byId ? 'id = $1::bigint' : 'prefix = $1'} RETURNING ${COLUMNS}`,
      [idOrPrefix],
    );
    return row && toRecord(row);
  }

  /** The key with this prefix and its stored hash, revoked or not. */
  async findByPrefix(prefix: string): Promise<(ApiKeyRecord & { readonly hash: string }) | undefined> {
    const [row] = await this.sql.query<Row>(`SELECT ${COLUMNS} FROM api_keys WHERE prefix = $1`, [prefix]);
    return row && { ...toRecord(row), hash: row.hash };
  }

  async findById(id: string): Promise<ApiKeyRecord | undefined> {
    if (!/^\d{1,18}$/.test(id)) return undefined;
    const [row] = await this.sql.query<Row>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1::bigint`, [id]);
    return row && toRecord(row);
  }

  async hasActiveKeys(): Promise<boolean> {
    const [row] = await this.sql.query<{ active: boolean }>('SELECT exists(SELECT 1 FROM api_keys WHERE revoked_at IS NULL) AS active', []);
    return row?.active === true;
  }

  async markUsed(id: string): Promise<void> {
    await this.sql.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1::bigint', [id]);
  }
}

function toRecord(row: Row): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** A pg Pool or Client as a SqlRunner. */
export function pgSqlRunner(client: { query(text: string, values: unknown[]): Promise<{ rows: unknown[] }> }): SqlRunner {
  return {
    query: async <R extends object>(text: string, values: readonly unknown[]) => (await client.query(text, [...values])).rows as R[],
  };
}
