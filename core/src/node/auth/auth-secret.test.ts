import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSettings } from '../load-config.ts';
import { authSecret, authSecretPath } from './auth-secret.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function settings(env: Record<string, string> = {}) {
  return parseSettings(
    {
      ingester: { contracts: ['SIM.MES'] },
      contracts: [{ id: 'SIM.MES', provider: 'simulated', symbol: 'S', tick_size: 0.25, session_calendar: 'utc' }],
    },
    {
      BARSTREAM_DATA_DIR: 'data/pg',
      ...env,
    },
  );
}

describe('authSecret', () => {
  it('generates a secret once beside the data dir (owner-only) and reads the same one afterwards', () => {
    const root = mkdtempSync(join(tmpdir(), 'auth-secret-'));
    dirs.push(root);
    const first = authSecret(settings(), root);
    expect(authSecretPath(settings(), root)).toBe(join(root, 'data', 'auth-secret'));
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(root, 'data', 'auth-secret')).mode & 0o777).toBe(0o600);
    expect(authSecret(settings(), root)).toBe(first);
    expect(readFileSync(join(root, 'data', 'auth-secret'), 'utf8').trim()).toBe(first);
  });

  it('takes AUTH_SECRET over the file, and refuses a short one without printing it', () => {
    const root = mkdtempSync(join(tmpdir(), 'auth-secret-'));
    dirs.push(root);
    const secret = 's'.repeat(40);
    expect(authSecret(settings({ AUTH_SECRET: secret }), root)).toBe(secret);
    expect(() => settings({ AUTH_SECRET: 'tooshort-secret-value' })).toThrow(
      /AUTH_SECRET \(env\): auth\.secret: expected at least 32 characters/,
    );
    try {
      settings({ AUTH_SECRET: 'tooshort-secret-value' });
    } catch (err) {
      expect((err as Error).message).not.toContain('tooshort-secret-value');
    }
    mkdirSync(join(root, 'data'));
    writeFileSync(join(root, 'data', 'auth-secret'), 'short\n');
    expect(() => authSecret(settings(), root)).toThrow(/expected a secret of at least 32 characters/);
  });
});
