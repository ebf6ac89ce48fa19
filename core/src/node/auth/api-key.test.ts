import { describe, expect, it } from 'vitest';
import { hashApiKeySecret, newApiKey, parseApiKey, verifyApiKeySecret } from './api-key.ts';

describe('API keys', () => {
  it('makes keys that parse back into their prefix and secret, each one different', () => {
    const a = newApiKey();
    const b = newApiKey();
    expect(a.key).toMatch(/^bsk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(a.key)).toEqual({ prefix: a.prefix, secret: a.secret });
    expect(b.prefix).not.toBe(a.prefix);
    expect(b.secret).not.toBe(a.secret);
  });

  it.each(['', 'bsk_', `bsk_ABCDEF123456_${'a'.repeat(43)}`, `bsk_abcdef123456_${'a'.repeat(42)}`, `x${newApiKey().key}`])(
    'refuses the malformed key %j',
    (text) => expect(parseApiKey(text)).toBeUndefined(),
  );

  it('hashes with a fresh salt and verifies only the same secret', async () => {
    const { secret } = newApiKey();
    const first = await hashApiKeySecret(secret);
    const second = await hashApiKeySecret(secret);
    expect(first).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
    expect(first).not.toContain(secret);
    expect(await verifyApiKeySecret(secret, first)).toBe(true);
    expect(await verifyApiKeySecret(secret, second)).toBe(true);
    expect(await verifyApiKeySecret(`${secret.slice(0, -1)}x`, first)).toBe(false);
    expect(await verifyApiKeySecret(secret, 'scrypt$1024$8$1$short$short')).toBe(false);
    expect(await verifyApiKeySecret(secret, 'bcrypt$whatever')).toBe(false);
  });
});
