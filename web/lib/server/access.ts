// The web process's access-control parts, built once from its settings: the key store (over the
// Prisma client's connection pool), the cached key verifier, the mode, the rate limits, the secret.
import 'server-only';
import { ApiKeyStore, ApiKeyVerifier, authSecret, type SqlRunner } from '@barstream/core/node';
import type { AccessDeps } from '../api/access-gate.ts';
import { authModeResolver } from '../auth/auth-mode.ts';
import { RequestRateLimits } from '../auth/request-rate-limits.ts';
import { webConfig } from './config.ts';
import { db } from './db.ts';

export interface WebAccess extends AccessDeps {
  readonly store: ApiKeyStore;
  readonly ticketTtlMs: number;
  readonly sessionTtlMs: number;
}

const holder = globalThis as typeof globalThis & { __barstreamAccess?: WebAccess };

export function webAccess(): WebAccess {
  if (holder.__barstreamAccess) return holder.__barstreamAccess;
  const { settings, rootDir } = webConfig();
  const sql: SqlRunner = { query: (text, values) => db().$queryRawUnsafe(text, ...values) };
  const store = new ApiKeyStore(sql);
  holder.__barstreamAccess = {
    store,
    verifier: new ApiKeyVerifier(store),
    mode: authModeResolver(settings.auth.mode, store),
    limits: new RequestRateLimits(settings.auth.rate_limit),
    secret: authSecret(settings, rootDir),
    now: Date.now,
    ticketTtlMs: settings.auth.ticket_ttl_seconds * 1000,
    sessionTtlMs: settings.auth.session_ttl_hours * 3_600_000,
  };
  return holder.__barstreamAccess;
}
