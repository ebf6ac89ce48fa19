// Who a presented API key (or a session's key id) belongs to, with the answers kept briefly: a scrypt
// check costs milliseconds, so 1,000 requests a second with one key make one check per TTL, not 1,000.
import { createHash } from 'node:crypto';
import { type ApiKeyScope, parseApiKey, verifyApiKeySecret } from './api-key.ts';
import type { ApiKeyStore } from './api-key-store.ts';

export interface Principal {
  readonly keyId: string;
  readonly name: string;
  readonly scope: ApiKeyScope;
}

export interface ApiKeyVerifierOptions {
  /** How long an answer (yes or no) is reused: also how long a revoked key may still pass. */
  readonly ttlMs?: number;
  /** Answers kept at most (the oldest are dropped first), so random keys cannot grow memory. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

const DEFAULT_TTL_MS = 10_000;
const DEFAULT_MAX_ENTRIES = 10_000;

interface Entry {
  readonly until: number;
  readonly answer: Promise<Principal | undefined>;
}

export class ApiKeyVerifier {
  private readonly keys = new Map<string, Entry>();
  private readonly ids = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly store: ApiKeyStore,
    options: ApiKeyVerifierOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.now = options.now ?? Date.now;
  }

  /** The key's owner when `keyText` is an unrevoked key, else undefined. */
  verify(keyText: string): Promise<Principal | undefined> {
    // The map holds a digest, never the key itself.
    const digest = createHash('sha256').update(keyText, 'utf8').digest('base64url');
    return this.cached(this.keys, digest, () => this.check(keyText));
  }

  /** The key with this id while it is not revoked (a signed-in session's key). */
  active(keyId: string): Promise<Principal | undefined> {
    return this.cached(this.ids, keyId, async () => {
      const record = await this.store.findById(keyId);
      return record && record.revokedAt === null ? { keyId: record.id, name: record.name, scope: record.scope } : undefined;
    });
  }

  private async check(keyText: string): Promise<Principal | undefined> {
    const parts = parseApiKey(keyText);
    if (!parts) return undefined;
    const record = await this.store.findByPrefix(parts.prefix);
    if (!record || record.revokedAt !== null) return undefined;
    if (!(await verifyApiKeySecret(parts.secret, record.hash))) return undefined;
    // Once per TTL per key: last_used_at is as fine-grained as the cache.
    void this.store.markUsed(record.id).catch(() => undefined);
    return { keyId: record.id, name: record.name, scope: record.scope };
  }

  private cached(map: Map<string, Entry>, id: string, load: () => Promise<Principal | undefined>): Promise<Principal | undefined> {
    const now = this.now();
    const hit = map.get(id);
    if (hit && hit.until > now) return hit.answer;
    // The promise is kept, so concurrent requests with one key share one check.
    const answer = load();
    map.delete(id);
    map.set(id, { until: now + this.ttlMs, answer });
    // A failed lookup (database down) is not remembered: the next request tries again.
    answer.catch(() => map.delete(id));
    if (map.size > this.maxEntries) map.delete(map.keys().next().value as string);
    return answer;
  }
}
