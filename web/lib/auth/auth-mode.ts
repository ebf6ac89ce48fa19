// The auth mode in force: auth.mode (AUTH_MODE) when set, else `write` once any unrevoked API key
// exists and `off` before — so creating the first key closes the writes, with no restart.
import type { ApiKeyStore } from '@barstream/core/node';
import type { AuthMode } from '../api/access-gate.ts';

/** How long the key count is reused: the first key protects writes within this time. */
export const MODE_RECHECK_MS = 5_000;

export function authModeResolver(
  configured: AuthMode | undefined,
  store: Pick<ApiKeyStore, 'hasActiveKeys'>,
  now: () => number = Date.now,
): () => Promise<AuthMode> {
  if (configured !== undefined) return () => Promise.resolve(configured);
  let cached: { until: number; mode: Promise<AuthMode> } | undefined;
  return () => {
    const at = now();
    if (cached && cached.until > at) return cached.mode;
    // A failure is remembered as long as an answer (callers then treat the mode as write), so an
    // unreachable database costs one attempt per interval, not one per request.
    const mode = store.hasActiveKeys().then((any): AuthMode => (any ? 'write' : 'off'));
    mode.catch(() => undefined);
    cached = { until: at + MODE_RECHECK_MS, mode };
    return mode;
  };
}
