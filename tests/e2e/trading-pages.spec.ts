// The trading pages in Chromium against the production build started alone on a database of its own
// (no trader runs here: the test plays its part). A run made by the pure engine over synthetic bars is
// stored as the trader stores it; /runs/[id] must show its stats, markers, SL/TP lines and trades;
// /strategies its status, PnL and buttons; /backtest must create a 'created' run with a NOTIFY, then
// show the progress the test writes, then the finished run's page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import pg from 'pg';
import { formatMoney } from '../../core/src/trading/money.ts';
import { parseStrategyRunConfig, type StrategyRunConfig } from '../../core/src/trading/run-config-schema.ts';
import { config, MES_TREND_START } from '../../core/src/trading/test-fixtures.ts';
import { applyMigrations } from '../../prisma/index.ts';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../../scripts/lib/embedded-database.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import { syntheticBars } from '../support/synthetic-bars.ts';
import { alternatingSignals, type EngineRunFixture, insertBars, insertEngineRun } from '../support/trading-run-fixture.ts';
import { freePort } from './full-stack.ts';
import { buildWebIfStale, startWebOnly, type WebOnly } from './web-only.ts';

test.describe.configure({ mode: 'serial' });

const CONTRACT = 'T.MES';
const STEP = 5 * 60_000;
const T0 = Date.parse('2024-01-02T15:00:00Z');
const BARS = syntheticBars(400, { start: T0, stepMs: STEP, seed: 11 });
const BACKTEST = config(MES_TREND_START, { contract: CONTRACT, from: '2024-01-02T00:00:00Z', to: '2024-01-05T00:00:00Z' });
const STRATEGY_YAML = `id: web-trend
kind: paper
contract: ${CONTRACT}
timeframe: 5m
signals: { analyzer_id: mes_trend, map: { uptrend_start: entry_long, downtrend_start: entry_short } }
instrument: { kind: future, tick_size: 0.25, tick_value: 1.25, initial_margin: 1500 }
sizing: { type: fixed, qty: 1 }
exits: { stop_loss: { ticks: 8 }, take_profit: [{ ticks: 16 }], on_opposite_signal: reverse }
fees: { per_contract: 0.62 }
slippage: { ticks: 1 }
starting_capital: 10000
`;

let dir: string;
let db: EmbeddedDatabase;
let client: pg.Client;
let web: WebOnly;
let base: string;
let backtest: EngineRunFixture;
let paper: EngineRunFixture;

interface RunHook {
  equityPoints: number;
  drawdownPoints: number;
  candles: number;
  markers: { kind: string; time: number }[];
  priceLines: { kind: string; price: number }[];
}
const runHook = (page: Page): Promise<RunHook | null> =>
  page.evaluate(() => (window as Window & { __barstreamRun?: RunHook }).__barstreamRun ?? null);

test.beforeAll(async () => {
  test.setTimeout(900_000);
  await buildWebIfStale();
  dir = mkdtempSync(join(tmpdir(), 'barstream-trading-e2e-'));
  db = await startEmbeddedDatabase({ dataDir: join(dir, 'pg'), port: await freePort() });
  await applyMigrations(db.url);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(`INSERT INTO contracts (id, provider, symbol, tick_size) VALUES ($1, 'simulated', 'MES', 0.25)`, [CONTRACT]);
  await insertBars(client, CONTRACT, '5m', BARS);
  await client.query(`INSERT INTO strategies (strategy_id, config_yaml, source) VALUES ('web-trend', $1, 'api')`, [STRATEGY_YAML]);
  backtest = await insertEngineRun(client, BACKTEST, alternatingSignals(BARS, STEP, 25), { status: 'completed', strategyId: 'web-trend' });
  // A paper run whose last entry is still open: its bracket (SL/TP) is working at the end.
  const common = Object.fromEntries(Object.entries(BACKTEST).filter(([key]) => key !== 'from' && key !== 'to'));
  const paperConfig: StrategyRunConfig = parseStrategyRunConfig({ ...common, kind: 'paper' });
  const last = BARS.length - 3;
  const inputs = BARS.flatMap((b, i) => [
    { kind: 'bar' as const, bar: b },
    ...(i === last ? [{ kind: 'signal' as const, key: 'open', type: 'uptrend_start', time: b.time + STEP - 1 }] : []),
  ]);
  paper = await insertEngineRun(client, paperConfig, inputs, { status: 'running', strategyId: 'web-trend' });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  web = await startWebOnly(
    { WEB_HOST: '127.0.0.1', WEB_PORT: String(port), WEBSOCKET_PORT: String(await freePort()), DATABASE_URL: db.url, LOG_LEVEL: 'error' },
    `${base}/api/openapi.json`,
  );
});

test.afterAll(async () => {
  await web?.stop();
  await client?.end();
  await db?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the run page shows the stats, the charts with entry/exit markers, and the trades', async ({ page }) => {
  const trades = backtest.events.filter((e) => e.type === 'trade');
  const fills = backtest.events.filter((e) => e.type === 'fill');
  const equity = backtest.events.filter((e) => e.type === 'equity');
  expect(trades.length).toBeGreaterThan(3);
  await page.goto(`${base}/runs/${backtest.runId}`);
  await expect(page.getByTestId('run-status')).toHaveText('completed');
  const stat = (key: string) => page.locator(`[data-stat="${key}"] dd`);
  await expect(stat('net_profit')).toHaveText(formatMoney(backtest.report.netProfit));
  await expect(stat('fees_paid')).toHaveText(formatMoney(backtest.report.feesPaid));
  await expect(stat('trades')).toHaveText(String(trades.length));
  await expect(stat('max_drawdown')).toContainText(formatMoney(backtest.report.maxDrawdown));
  await expect(page.getByText(/Sharpe and Sortino: per-session returns × √252/)).toBeVisible();
  await expect(page.getByTestId('trades-table').locator('tbody tr')).toHaveCount(Math.min(50, trades.length));
  const first = trades[0]!;
  if (first.type !== 'trade') throw new Error('unreachable');
  await expect(page.getByTestId('trades-table').locator('tbody tr').first()).toContainText(formatMoney(first.pnl));
  await expect.poll(async () => (await runHook(page))?.equityPoints).toBe(equity.length);
  const hook = (await runHook(page))!;
  expect(hook.candles).toBe(BARS.length);
  expect(hook.markers).toHaveLength(fills.length);
  expect(hook.markers.filter((m) => m.kind === 'entry').length).toBeGreaterThan(0);
  expect(hook.markers.filter((m) => m.kind === 'exit').length).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/trading/run-page.png', fullPage: true });
});

test('a paper run with an open position shows its SL/TP lines and position, and is live', async ({ page }) => {
  const position = paper.events.filter((e) => e.type === 'position').at(-1);
  expect(position?.type === 'position' && position.qty).toBe(1);
  await page.goto(`${base}/runs/${paper.runId}`);
  await expect(page.getByTestId('positions-table')).toContainText(CONTRACT);
  await expect.poll(async () => (await runHook(page))?.priceLines.map((l) => l.kind).sort()).toEqual(['stop_loss', 'take_profit']);
  // Live: a new equity point stored and NOTIFYd (as the trader would) shows without a reload.
  const before = (await runHook(page))!.equityPoints;
  await client.query(
    `INSERT INTO equity_points (run_id, "time", cash, equity, position_value, unrealized_pnl, realized_pnl, fees, margin_used, position)
     SELECT run_id, "time" + interval '5 minutes', cash, equity, position_value, unrealized_pnl, realized_pnl, fees, margin_used, position
     FROM equity_points WHERE run_id = $1 ORDER BY "time" DESC LIMIT 1`,
    [paper.runId],
  );
  await client.query(`SELECT pg_notify('trade_update', $1)`, [
    JSON.stringify({
      type: 'trade_update',
      run_id: paper.runId,
      contract_id: CONTRACT,
      status: 'running',
      through: null,
      orders: 0,
      fills: 0,
      trades: 0,
      equity_points: 1,
      equity: null,
    }),
  ]);
  await expect.poll(async () => (await runHook(page))?.equityPoints).toBe(before + 1);
});

test('/strategies lists the runs with status, PnL and drawdown; emergency stop stores a command', async ({ page }) => {
  await page.goto(`${base}/strategies`);
  const row = (id: number) => page.locator(`[data-run-id="${id}"]`);
  await expect(row(backtest.runId)).toContainText('completed');
  await expect(row(backtest.runId)).toContainText(formatMoney(backtest.report.netProfit));
  await expect(row(backtest.runId)).toContainText(formatMoney(backtest.report.maxDrawdown));
  await expect(row(paper.runId)).toContainText('running');
  await row(paper.runId).getByRole('button', { name: 'Emergency stop' }).click();
  await expect
    .poll(async () =>
      (await client.query(`SELECT command FROM run_commands WHERE run_id = $1`, [paper.runId])).rows.map(
        (r: { command: { type: string } }) => r.command.type,
      ),
    )
    .toEqual(['emergency_stop']);
  await expect(page.getByTestId('strategies-table')).toContainText('web-trend');
});

test('/backtest creates a run with a NOTIFY, shows the progress the trader writes, then the run page', async ({ page }) => {
  const updates = await ChannelListener.listen(db.url, 'tradeUpdate');
  try {
    await page.goto(`${base}/backtest`);
    await page.getByLabel('Strategy').selectOption('web-trend');
    await page.getByLabel('From').fill('2024-01-02');
    await page.getByLabel('To').fill('2024-01-05');
    await page.getByRole('button', { name: 'Run backtest' }).click();
    const [created] = await updates.take(1, 0);
    expect(created).toMatchObject({ status: 'created', contract_id: CONTRACT });
    const runId = created!.run_id;
    const row = (await client.query(`SELECT kind, status, config FROM strategy_runs WHERE run_id = $1`, [runId])).rows[0] as {
      kind: string;
      status: string;
      config: { kind: string; from: string };
    };
    expect(row).toMatchObject({ kind: 'backtest', status: 'created', config: { kind: 'backtest', from: '2024-01-02T00:00:00.000Z' } });
    await expect(page.getByTestId('backtest-status')).toHaveText('created');

    // The trader's part: running with progress, then the records, then completed with the report.
    const notify = (status: string) =>
      client.query(`SELECT pg_notify('trade_update', $1)`, [
        JSON.stringify({
          type: 'trade_update',
          run_id: runId,
          contract_id: CONTRACT,
          status,
          through: null,
          orders: 0,
          fills: 0,
          trades: 0,
          equity_points: 0,
          equity: null,
        }),
      ]);
    await client.query(`UPDATE strategy_runs SET status = 'running', progress = 0.4 WHERE run_id = $1`, [runId]);
    await notify('running');
    await expect(page.getByTestId('backtest-percent')).toHaveText('40%');
    await expect(page.getByTestId('backtest-status')).toHaveText('running');
    const done = await insertEngineRun(client, parseStrategyRunConfig(row.config), alternatingSignals(BARS, STEP, 25), {
      status: 'running',
      runId,
      keepReport: true,
    });
    await client.query(`UPDATE strategy_runs SET status = 'completed', ended_at = now() WHERE run_id = $1`, [runId]);
    await notify('completed');
    await page.waitForURL(`${base}/runs/${runId}`);
    await expect(page.getByTestId('run-status')).toHaveText('completed');
    await expect(page.locator('[data-stat="net_profit"] dd')).toHaveText(formatMoney(done.report.netProfit));
  } finally {
    await updates.end();
  }
});

test('/backtest shows the API’s error for a range without bars, and stores nothing', async ({ page }) => {
  const before = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM strategy_runs`)).rows[0]!.n);
  await page.goto(`${base}/backtest`);
  await page.getByLabel('Strategy').selectOption('web-trend');
  await page.getByLabel('From').fill('2023-01-02');
  await page.getByLabel('To').fill('2023-01-05');
  await page.getByRole('button', { name: 'Run backtest' }).click();
  await expect(page.locator('p.action-error[role=alert]')).toContainText(`'${CONTRACT}' has no closed 5m bars`);
  expect(Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM strategy_runs`)).rows[0]!.n)).toBe(before);
});

test('the trading routes over HTTP: status codes, error fields, exact money, nothing stored on bad input', async () => {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { field?: string; message: string } } };
  };
  const strategies = async () => Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM strategies`)).rows[0]!.n);
  const before = await strategies();
  const bad = await call('POST', '/api/strategies', {
    config_yaml: STRATEGY_YAML.replace('id: web-trend', 'id: web-bad').replace('qty: 1', 'qty: 0'),
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error?.field).toBe('config_yaml.sizing.qty');
  expect((await call('POST', '/api/strategies', { description: 'no yaml' })).body.error?.field).toBe('config_yaml');
  expect(await strategies()).toBe(before);

  const created = await call('POST', '/api/strategies', { config_yaml: STRATEGY_YAML.replace('id: web-trend', 'id: web-two') });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ strategy: { strategy_id: 'web-two', source: 'api' } });
  await client.query(`UPDATE strategies SET source = 'file' WHERE strategy_id = 'web-two'`);
  const put = await call('PUT', '/api/strategies/web-two', { config_yaml: STRATEGY_YAML.replace('id: web-trend', 'id: web-two') });
  expect(put.status).toBe(409);
  expect(put.body.error?.message).toMatch(/config\/strategies\/web-two\.yaml/);

  const trades = await call('GET', `/api/runs/${backtest.runId}/trades?offset=1&limit=2`);
  const second = backtest.events.filter((e) => e.type === 'trade')[1];
  expect(trades.status).toBe(200);
  expect(trades.body).toMatchObject({
    run_id: backtest.runId,
    offset: 1,
    items: [{ trade_no: 2, pnl: second?.type === 'trade' ? formatMoney(second.pnl) : '' }, {}],
  });
  expect((await call('GET', `/api/runs/${backtest.runId}/trades?limit=0`)).body.error?.field).toBe('limit');
  expect((await call('GET', '/api/runs/999999')).status).toBe(404);
  expect((await call('POST', `/api/runs/${backtest.runId}/start`)).status).toBe(409);
  const paperRun = await call('POST', '/api/runs', { strategy_id: 'web-trend' });
  expect(paperRun.status).toBe(201);
  const started = await call('POST', `/api/runs/${paperRun.body.run_id as number}/start`);
  expect(started).toMatchObject({ status: 200, body: { run: { status: 'running', kind: 'paper', starting_capital: '10000' } } });
  const order = await call('POST', `/api/runs/${paperRun.body.run_id as number}/commands`, {
    type: 'submit',
    order: { clientOrderId: 'm1', side: 'buy', type: 'limit', qty: 1 },
  });
  expect(order.status).toBe(400);
  expect(order.body.error?.field).toBe('order.limitPrice');
  const doc = (await call('GET', '/api/openapi.json')).body as { paths: Record<string, unknown> };
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining(['/api/runs/{id}/equity', '/api/backtests', '/api/strategies/{strategy_id}']),
  );
});
