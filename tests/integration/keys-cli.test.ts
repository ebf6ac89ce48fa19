// `npm run keys -- create|list|revoke` against a real PostgreSQL: the key is printed once (stdout
// alone), stored only as a hash, found by its prefix, listed without its secret, and refused once revoked.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ApiKeyStore, ApiKeyVerifier, parseApiKey, pgSqlRunner } from '../../core/src/node/auth/index.ts';
import type { Pool } from '../../core/src/node/db-pool.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

const run = promisify(execFile);

let db: TestDatabase;
let pool: Pool;
useTestDatabase((ground) => ({ db, pool } = ground), { max: 2 });

async function keys(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/keys.ts', ...args], {
      encoding: 'utf8',
      timeout: 90_000,
      env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run keys', () => {
  it('creates a key printed once, lists it without the secret, revokes it', async () => {
    const created = await keys('create', '--name', 'ci deploy', '--scope', 'write');
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    const parts = parseApiKey(key);
    expect(parts, `stdout is the key alone: ${created.stdout}`).toBeDefined();
    expect(created.stderr).toMatch(/created key \d+ "ci deploy" \(write\), prefix [0-9a-f]{12}; it is shown only this once/);

    const { rows } = await pool.query<{ hash: string; prefix: string }>('SELECT hash, prefix FROM api_keys');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.prefix).toBe(parts?.prefix);
    expect(rows[0]?.hash).toMatch(/^scrypt\$/);
    expect(rows[0]?.hash).not.toContain(parts?.secret);

    const verifier = new ApiKeyVerifier(new ApiKeyStore(pgSqlRunner(pool)), { ttlMs: 0 });
    expect(await verifier.verify(key)).toMatchObject({ name: 'ci deploy', scope: 'write' });

    const listed = await keys('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^id\s+name\s+scope\s+prefix\s+created\s+last used\s+revoked$/m);
    expect(listed.stdout).toMatch(new RegExp(`^\\d+\\s+ci deploy\\s+write\\s+${parts?.prefix}\\s+\\d{4}-`, 'm'));
    expect(listed.stdout).not.toContain(parts?.secret);

    const revoked = await keys('revoke', parts?.prefix ?? '');
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/^revoked key \d+ "ci deploy"/);
    expect(await verifier.verify(key)).toBeUndefined();
    expect((await keys('list')).stdout).toMatch(/ci deploy\s+write\s+[0-9a-f]{12}\s+\S+\s+\S+\s+\d{4}-/);
  });

  it.each([
    [['create', '--name', 'x', '--scope', 'admin'], 2, /--scope: expected read or write, got "admin"/],
    [['create', '--scope', 'read'], 2, /create needs --name/],
    [['rotate'], 2, /unknown command "rotate"/],
    [['revoke', '999999'], 1, /no API key with id or prefix "999999"/],
  ])('keys %j exits %i naming the problem', async (args, code, message) => {
    const result = await keys(...args);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
  });
});
