// A new user's first minute: `npm start`, open /trends, see candles move; Ctrl-C leaves nothing behind.
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { expect, test } from '@playwright/test';
import { type FullStack, startFullStack } from './full-stack.ts';

let stack: FullStack;

test.beforeAll(async () => {
  stack = await startFullStack();
});
test.afterAll(async () => {
  if (stack) {
    await stack.stop();
    stack.cleanup();
  }
});

interface LastBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

test('trends page draws candles that move live', async ({ page }) => {
  await page.goto(`${stack.webUrl}/trends?contract=SIM.MES&tf=1m`);
  const chart = page.getByTestId('chart');
  await expect(chart).toBeVisible();
  await expect(page.getByTestId('connection-status')).toHaveText(/live/i, { timeout: 60_000 });
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __barstream?: { lastBar?: unknown } }).__barstream?.lastBar ?? null), {
      timeout: 60_000,
    })
    .not.toBeNull();
  const first = await page.evaluate(() => (window as unknown as { __barstream: { lastBar: LastBar } }).__barstream.lastBar);
  await expect
    .poll(
      async () => {
        const now = await page.evaluate(() => (window as unknown as { __barstream: { lastBar: LastBar } }).__barstream.lastBar);
        return JSON.stringify(now) !== JSON.stringify(first);
      },
      { timeout: 60_000 },
    )
    .toBe(true);

  // The chart really drew: its canvases hold pixels other than the background colour.
  const drawn = await page.evaluate(() => {
    const counts = new Map<number, number>();
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>('[data-testid="chart"] canvas')) {
      const ctx = canvas.getContext('2d');
      if (!ctx || canvas.width === 0 || canvas.height === 0) continue;
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < data.length; i += 16) {
        if (data[i + 3] === 0) continue;
        const key = ((data[i] ?? 0) << 16) | ((data[i + 1] ?? 0) << 8) | (data[i + 2] ?? 0);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const sorted = [...counts.values()].sort((a, b) => b - a);
    return { colours: counts.size, nonBackground: sorted.slice(1).reduce((s, n) => s + n, 0) };
  });
  expect(drawn.colours).toBeGreaterThan(3);
  expect(drawn.nonBackground).toBeGreaterThan(200);
  await page.screenshot({ path: 'test-results/trends-live.png', fullPage: true });
});

test('API serves the stored bars', async ({ request }) => {
  // Runs on its own too (not only after the page test waited for candles): waits for the first bars.
  await expect
    .poll(
      async () => {
        const res = await request.get(`${stack.webUrl}/api/ohlc?contract_id=SIM.MES&timeframe=1m`);
        expect(res.status()).toBe(200);
        const body = (await res.json()) as { bars: Array<{ timestamp: string; is_closed: boolean }> };
        return body.bars.length;
      },
      { timeout: 60_000 },
    )
    .toBeGreaterThan(0);
  const bad = await request.get(`${stack.webUrl}/api/ohlc?contract_id=SIM.MES&timeframe=7x`);
  expect(bad.status()).toBe(400);
  expect(JSON.stringify(await bad.json())).toMatch(/timeframe/);
});

test('Ctrl-C stops everything and leaves no process', async () => {
  // The 5-second bound is the supervisor's own deadline (scripts/start.ts); what can fail, and is
  // checked, is what it leaves behind. The time is printed, not asserted: a loaded machine is slower.
  const ms = await stack.stop();
  console.log(`Ctrl-C to exit: ${ms} ms`);
  for (const [name, port] of Object.entries(stack.ports)) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    expect(open, `${name} port ${port} still accepting connections`).toBe(false);
  }
  const leftovers = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(String(stack.ports.pg)) || line.includes(`-p ${stack.ports.web}`));
  expect(leftovers).toEqual([]);
});
