// A bad configuration stops every service at start with the same few lines, no stack, exit code 1.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BAD_CONFIG = `
session_calendars:
  cme: { timezone: America/Chicgo, session_open: "17:00" }
contracts:
  - { id: SIM.A, provider: simulated, symbol: A, tick_size: 0.25, session_calendar: cme }
ingester:
  contracts: [SIM.A]
analyzer:
  targets:
    - { analyzer_id: ema, strategy: ema_cross, contract_id: SIM.A, timeframes: [1m], params: { fast: x, slow: 50 } }
`;

function writeConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'config-errors-'));
  mkdirSync(join(dir, 'config'));
  const file = join(dir, 'config', 'settings.yaml');
  writeFileSync(file, BAD_CONFIG);
  return file;
}

function runMain(service: string, configPath: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    // An unreachable database: if the config were accepted, the service fails on it instead of hanging.
    const env = { ...process.env, BARSTREAM_CONFIG: configPath, DATABASE_URL: 'postgresql://127.0.0.1:1/none', LOG_LEVEL: '' };
    const child = spawn(process.execPath, ['--import', 'tsx', `${service}/src/main.ts`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, stdout }));
  });
}

describe('a bad configuration', () => {
  it('stops the analyzer and the broadcaster at start with the same message and no stack', async () => {
    const file = writeConfig();
    const expected = [
      `${file}: session_calendars.cme.timezone: expected an IANA time zone like America/Chicago or UTC, got "America/Chicgo"; did you mean 'America/Chicago'?`,
      `${file}: analyzer.targets[0].params.fast: expected an integer ≥ 2, got "x"`,
    ].join('\n');
    const [analyzer, broadcaster] = await Promise.all([runMain('analyzer', file), runMain('broadcaster', file)]);
    for (const result of [analyzer, broadcaster]) {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(expected);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      // Only the message, and at most a short label such as the service's name: nothing else is printed.
      const rest = result.stderr.replace(expected, '').trim();
      expect(rest.split('\n')).toHaveLength(1);
      expect(rest.length).toBeLessThan(60);
      expect(result.stdout).toBe('');
    }
  }, 60_000);
});
