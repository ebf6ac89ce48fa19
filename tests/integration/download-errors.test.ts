// A failed `npm run download` names its cause in one line: a refused connection (a closed local port),
// an unknown host (the reserved .invalid domain: DNS answers NXDOMAIN without any network), and a TLS
// failure (https:// spoken to a local plain-HTTP server). Each provider client retries first (a few
// seconds of backoff); what is asserted is the line the user reads, not how long it took.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSettings } from '../../core/src/node/load-config.ts';
import { parseDownloadArgs } from '../../scripts/lib/history/download-args.ts';
import { runDownload } from '../../scripts/lib/history/download-command.ts';
import { capturedOutput } from '../support/captured-output.ts';
import { freePort } from '../support/free-port.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let db: TestDatabase;
let plainHttp: Server;
let closedPort: number;
let plainPort: number;

beforeAll(async () => {
  db = await createTestDatabase();
  closedPort = await freePort();
  plainHttp = createServer((_req, res) => {
    res.end('plain HTTP');
  });
  await new Promise<void>((resolve) => plainHttp.listen(0, '127.0.0.1', resolve));
  plainPort = (plainHttp.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => plainHttp?.close(resolve));
  await db?.drop();
});

function run(provider: 'binance' | 'projectx', url: string) {
  const { stdout, stderr, text } = capturedOutput();
  const settings = parseSettings({
    database: { url: db.url },
    contracts: [{ id: 'SIM.MES', provider: 'simulated', symbol: 'SIM.MES', tick_size: 0.25, session_calendar: 'utc' }],
    ingester: { contracts: ['SIM.MES'] },
    providers:
      provider === 'binance' ? { binance: { rest_url: url } } : { projectx: { api_url: url, username: 'alice', api_key: 'secret' } },
  });
  const args = parseDownloadArgs([
    '--provider',
    provider,
    '--contracts',
    provider === 'binance' ? 'BTCUSDT' : 'CON.F.US.MES.M25',
    '--start-date',
    '2025-01-07',
    '--end-date',
    '2025-01-07',
    '--timeframes',
    '1h',
  ]);
  return runDownload(args, { settings, rootDir: process.cwd(), stdout, stderr }).then((code) => ({ code, out: text.out, err: text.err }));
}

describe('a download that cannot reach its provider', () => {
  it('Binance, connection refused: the series line names ECONNREFUSED and the exit code is 1', async () => {
    const result = await run('binance', `http://127.0.0.1:${closedPort}`);
    expect(result.code).toBe(1);
    expect(result.out.split('\n')).toContain(
      `BTCUSDT 1h: GET /api/v3/klines: http://127.0.0.1:${closedPort}: connection refused (ECONNREFUSED) (gave up after 5 attempts)`,
    );
  });

  it('Binance, unknown host: the series line names the DNS failure', async () => {
    const result = await run('binance', 'http://nonexistent.invalid');
    expect(result.code).toBe(1);
    expect(result.out.split('\n')).toContainEqual(
      expect.stringMatching(
        /^BTCUSDT 1h: GET \/api\/v3\/klines: http:\/\/nonexistent\.invalid: (host not found \(DNS\) \(ENOTFOUND\)|DNS lookup failed \(temporary\) \(EAI_AGAIN\)) \(gave up after 5 attempts\)$/,
      ),
    );
  });

  it('Binance, TLS to a plain-HTTP server: the series line names the TLS failure in one line', async () => {
    const result = await run('binance', `https://127.0.0.1:${plainPort}`);
    expect(result.code).toBe(1);
    expect(result.out.split('\n')).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^BTCUSDT 1h: GET /api/v3/klines: https://127\\.0\\.0\\.1:${plainPort}: TLS failed: [^\\n]+ \\((ERR_SSL_[A-Z_]+|EPROTO)\\) \\(gave up after 5 attempts\\)$`,
        ),
      ),
    );
  });

  it('ProjectX, connection refused at login: the error says so in one line (not a credentials problem)', async () => {
    const error = await run('projectx', `http://127.0.0.1:${closedPort}`).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      `ProjectX /api/Auth/loginKey unreachable after 5 attempts: http://127.0.0.1:${closedPort}: connection refused (ECONNREFUSED)`,
    );
  });
});
