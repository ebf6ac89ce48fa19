// API keys: their text form (bsk_<prefix>_<secret>), the scrypt hash stored for the secret part, and
// the constant-time check of a presented key against it.
import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';

export const API_KEY_SCOPES = ['read', 'write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface ApiKeyParts {
  /** Public and unique: how the stored row is found, and how `keys list` shows the key. */
  readonly prefix: string;
  readonly secret: string;
}

/** 6 random bytes in hex (prefix), 32 in base64url (secret: 256 bits, so no guessing). */
const KEY_PATTERN = /^bsk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
/** scrypt cost: 1 MiB and a few milliseconds per check. The secret has 256 random bits, so no cost
 * factor is what protects it (unlike a password); a cheap check keeps a flood of wrong keys from
 * eating the CPU. Each hash names its N, r, p, so a later change still verifies old keys. */
const SCRYPT: ScryptOptions = { N: 1_024, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const HASH_BYTES = 32;

export function newApiKey(): ApiKeyParts & { readonly key: string } {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `bsk_${prefix}_${secret}`, prefix, secret };
}

/** The parts of a key in the right form, or undefined (never throws on what a client sent). */
export function parseApiKey(text: string): ApiKeyParts | undefined {
  const m = KEY_PATTERN.exec(text);
  return m ? { prefix: m[1] as string, secret: m[2] as string } : undefined;
}

/** `scrypt$N$r$p$<salt>$<hash>`, salt and hash in base64url; a fresh salt per key. */
export async function hashApiKeySecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(secret, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Whether `secret` is the one `stored` was made from; false for a malformed stored value. */
export async function verifyApiKeySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  if (expected.length !== HASH_BYTES) return false;
  const actual = await derive(secret, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return timingSafeEqual(actual, expected);
}

function derive(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, HASH_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
