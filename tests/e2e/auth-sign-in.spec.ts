// A server open to the internet (auth.mode all, a broadcaster token): the API refuses requests without
// a key, a write with a read key, and answers with RateLimit headers; /trends sends a visitor to
// /sign-in, and after signing in with a key the chart goes live (the page gets a WebSocket ticket from
// the web server; the token never reaches the browser). Last, the whole run's logs are searched for
// every configured secret, key, cookie and ticket.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { type FullStack, startFullStack } from './full-stack.ts';

const run = promisify(execFile);
const AUTH_SECRET = `auth-secret-${randomBytes(24).toString('hex')}`;
const BROADCASTER_TOKEN = `ws-token-${randomBytes(24).toString('hex')}`;

let stack: FullStack;
let readKey: string;
let writeKey: string;
/** Every credential the run handled: none may appear in its logs. */
const secrets: string[] = [AUTH_SECRET, BROADCASTER_TOKEN];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  stack = await startFullStack({ AUTH_MODE: 'all', AUTH_SECRET, BROADCASTER_TOKEN });
  const createKey = async (name: string, scope: string): Promise<string> => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/keys.ts', 'create', '--name', name, '--scope', scope], {
      env: stack.env,
      encoding: 'utf8',
      timeout: 90_000,
    });
    return stdout.trim();
  };
  readKey = await createKey('e2e reader', 'read');
  writeKey = await createKey('e2e writer', 'write');
  secrets.push(readKey, writeKey);
});
test.afterAll(async () => {
  if (stack) {
    await stack.stop();
    stack.cleanup();
  }
});

test('the API asks for a key, refuses a write with a read key, and sends RateLimit headers', async ({ request }) => {
  const anonymous = await request.get(`${stack.webUrl}/api/contracts`, { failOnStatusCode: false });
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()['www-authenticate']).toBe('Bearer realm="barstream"');
  expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('unauthorized');

  const read = await request.get(`${stack.webUrl}/api/contracts`, { headers: { authorization: `Bearer ${readKey}` } });
  expect(read.status()).toBe(200);
  expect(read.headers()['ratelimit-policy']).toBe('"key";q=200;w=1');
  expect(read.headers().ratelimit).toMatch(/^"key";r=\d+;t=\d+$/);

  const body = { contract_id: 'SIM.MES', timeframe: '1m', timestamp: '2025-01-01T00:00:00Z', label_type: 'uptrend_start' };
  const forbidden = await request.post(`${stack.webUrl}/api/trend-labels`, {
    headers: { authorization: `Bearer ${readKey}` },
    data: body,
    failOnStatusCode: false,
  });
  expect(forbidden.status()).toBe(403);
  const noKey = await request.post(`${stack.webUrl}/api/trend-labels`, { data: body, failOnStatusCode: false });
  expect(noKey.status()).toBe(401);
  // The write key passes the gate: the route itself answers (no bar at that time: 404).
  const written = await request.post(`${stack.webUrl}/api/trend-labels`, {
    headers: { authorization: `Bearer ${writeKey}` },
    data: body,
    failOnStatusCode: false,
  });
  expect(written.status()).toBe(404);
  expect(((await written.json()) as { error: { code: string } }).error.code).toBe('not_found');

  expect((await request.get(`${stack.webUrl}/session/ws-ticket`, { failOnStatusCode: false })).status()).toBe(401);
});

test('signing in with a key opens /trends, whose chart goes live through a ticket', async ({ page }) => {
  const tickets: string[] = [];
  page.on('websocket', (ws) => {
    const ticket = new URL(ws.url()).searchParams.get('ticket');
    if (ticket) tickets.push(ticket);
  });
  await page.goto(`${stack.webUrl}/trends?contract=SIM.MES&tf=1m`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Ftrends%3Fcontract%3DSIM\.MES%26tf%3D1m$/);

  await page.getByLabel('API key').fill(`${readKey.slice(0, -1)}x`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('sign-in-error')).toHaveText(/not a valid API key/);

  await page.getByLabel('API key').fill(readKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/trends\?contract=SIM\.MES&tf=1m$/);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'barstream_session');
  expect(cookie?.httpOnly).toBe(true);
  if (cookie) secrets.push(cookie.value);

  await expect(page.getByTestId('connection-status')).toHaveText(/live/i, { timeout: 60_000 });
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __barstream?: { lastBar?: unknown } }).__barstream?.lastBar ?? null), {
      timeout: 60_000,
    })
    .not.toBeNull();
  expect(tickets.length).toBeGreaterThan(0);
  secrets.push(...tickets);
  expect(await page.content()).not.toContain(BROADCASTER_TOKEN);
});

test('no secret, key, session cookie or ticket appears in the logs of the run', async () => {
  await stack.stop();
  const logs = stack.output.join('\n');
  // The run logged something (every service starts with a line), so an empty capture cannot pass.
  expect(logs).toMatch(/broadcaster/);
  expect(secrets.length).toBeGreaterThanOrEqual(6);
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(20);
    expect(logs.includes(secret), `a secret (${secret.slice(0, 6)}…) appears in the logs`).toBe(false);
  }
});
