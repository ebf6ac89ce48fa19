// `npm run keys -- create|list|revoke`: the API keys of /api/* (docs/SECURITY.md). A new key is printed
// once, on stdout alone (so `KEY=$(npm run -s keys -- create …)` works); only its hash is stored.
// @barstream/core/node (the key store) loads only for a command past its usage checks: --help and a
// bad flag answer without it.
import { parseArgs } from 'node:util';
import type { ApiKeyRecord, ApiKeyScope, ApiKeyStore, SqlRunner } from '@barstream/core/node';

export const KEYS_USAGE = `usage: npm run keys -- create --name <name> --scope read|write
       npm run keys -- list
       npm run keys -- revoke <id or prefix>

API keys for /api/* (Authorization: Bearer <key>) and the web's sign-in page. A read key may use
GET/HEAD/OPTIONS; a write key every route. create prints the key once (it is stored only as a
scrypt hash); list shows id, name, scope, prefix and when each was created, last used, revoked;
revoke refuses the key from then on (within the 10 s the web keeps an answer).
Needs DATABASE_URL, or the embedded PostgreSQL (started for the command when npm start is not running).`;

export interface KeysOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** Runs the command; answers the exit code (2: bad arguments, 1: nothing to revoke). */
export async function runKeysCommand(argv: readonly string[], openSql: () => Promise<SqlRunner>, io: KeysOutput): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { name: { type: 'string' }, scope: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    io.err(`keys: ${(err as Error).message}\n\n${KEYS_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help) {
    io.out(KEYS_USAGE);
    return 0;
  }
  const usageError = (message: string): number => {
    io.err(`keys: ${message}\n\n${KEYS_USAGE}`);
    return 2;
  };
  switch (command) {
    case 'create': {
      const name = values.name?.trim();
      if (!name) return usageError('create needs --name <name> (what the key is for, shown by list)');
      if (name.length > 200) return usageError('--name: expected at most 200 characters');
      const scope = values.scope;
      const { API_KEY_SCOPES } = await import('@barstream/core/node');
      if (!isScope(scope, API_KEY_SCOPES)) return usageError(`--scope: expected read or write, got ${JSON.stringify(scope ?? '')}`);
      if (rest.length > 0) return usageError(`unexpected argument ${JSON.stringify(rest[0])}`);
      const { record, key } = await (await keyStore(openSql)).create(name, scope);
      io.err(
        `created key ${record.id} ${JSON.stringify(record.name)} (${record.scope}), prefix ${record.prefix}; it is shown only this once:`,
      );
      io.out(key);
      return 0;
    }
    case 'list': {
      if (rest.length > 0 || values.name !== undefined || values.scope !== undefined) return usageError('list takes no arguments');
      const keys = await (await keyStore(openSql)).list();
      if (keys.length === 0) io.out('no API keys (npm run keys -- create --name <name> --scope read|write)');
      else for (const line of table(keys)) io.out(line);
      return 0;
    }
    case 'revoke': {
      const [which, extra] = rest;
      if (which === undefined || extra !== undefined) return usageError('revoke needs one key id or prefix');
      const record = await (await keyStore(openSql)).revoke(which);
      if (!record) {
        io.err(`keys: no API key with id or prefix ${JSON.stringify(which)} (npm run keys -- list shows them)`);
        return 1;
      }
      io.out(`revoked key ${record.id} ${JSON.stringify(record.name)} (${record.scope}, prefix ${record.prefix})`);
      return 0;
    }
    case undefined:
      return usageError('a command is needed');
    default:
      return usageError(`unknown command ${JSON.stringify(command)}`);
  }
}

async function keyStore(openSql: () => Promise<SqlRunner>): Promise<ApiKeyStore> {
  const { ApiKeyStore } = await import('@barstream/core/node');
  return new ApiKeyStore(await openSql());
}

function isScope(value: string | undefined, scopes: readonly ApiKeyScope[]): value is ApiKeyScope {
  return (scopes as readonly (string | undefined)[]).includes(value);
}

function table(keys: readonly ApiKeyRecord[]): string[] {
  const when = (d: Date | null): string => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');
  const rows = [
    ['id', 'name', 'scope', 'prefix', 'created', 'last used', 'revoked'],
    ...keys.map((k) => [k.id, k.name, k.scope, k.prefix, when(k.createdAt), when(k.lastUsedAt), when(k.revokedAt)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}
