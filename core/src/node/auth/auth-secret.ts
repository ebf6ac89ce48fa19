// The secret that signs session cookies and WebSocket tickets: auth.secret (AUTH_SECRET), or one
// generated on first start into `auth-secret` beside the embedded data dir, which web and
// broadcaster then both read.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Settings } from '../../config/settings-schema.ts';
import { ConfigError } from '../../errors.ts';

const MIN_SECRET_LENGTH = 32;

export function authSecretPath(settings: Settings, rootDir: string): string {
  return join(dirname(resolve(rootDir, settings.database.embedded_data_dir)), 'auth-secret');
}

export function authSecret(settings: Settings, rootDir: string): string {
  if (settings.auth.secret !== undefined) return settings.auth.secret;
  const path = authSecretPath(settings, rootDir);
  mkdirSync(dirname(path), { recursive: true });
  // Written whole to a file of its own, then linked into place: of two processes starting together,
  // one links and the other finds the complete file (never a half-written one).
  const draft = `${path}.${process.pid}.tmp`;
  writeFileSync(draft, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  try {
    linkSync(draft, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    rmSync(draft, { force: true });
  }
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`${path}: expected a secret of at least ${MIN_SECRET_LENGTH} characters (delete the file to generate one)`);
  }
  return secret;
}
