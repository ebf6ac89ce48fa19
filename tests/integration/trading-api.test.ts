// The trading API's queries on a real PostgreSQL (through Prisma, as the route handlers run them):
// a run made by the pure engine (tests/support/trading-run-fixture.ts) read back with exact money;
// strategies CRUD with YAML errors naming the key and nothing stored; backtests, paper-run lifecycle
// and commands writing their rows and NOTIFYing trade_update in the same transaction.
import { ConflictError, NotFoundError, ValidationError } from '@barstream/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney, toMoney } from '../../core/src/trading/money.ts';
import { config, MES_TREND_START } from '../../core/src/trading/test-fixtures.ts';
import { createPrismaClient, type PrismaClient } from '../../prisma/prisma-client.ts';
import { backtestBodySchema, runBodySchema } from '../../web/lib/api/run-bodies.ts';
import { strategyBodySchema } from '../../web/lib/api/strategy-schemas.ts';
import { emergencyStopAll, sendCommand } from '../../web/lib/queries/run-commands.ts';
import { createBacktest, createPaperRun, startRun, stopRun } from '../../web/lib/queries/run-lifecycle.ts';
import { runEquity, runFills, runOrders, runPositions, runTrades } from '../../web/lib/queries/run-records.ts';
import { listRuns, readRun } from '../../web/lib/queries/runs.ts';
import { createStrategy, deleteStrategy, listStrategies, readStrategy, replaceStrategy } from '../../web/lib/queries/strategies.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import { syntheticBars } from '../support/synthetic-bars.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { alternatingSignals, type EngineRunFixture, insertBars, insertEngineRun } from '../support/trading-run-fixture.ts';

const CONTRACT = 'T.MES';
const STEP = 5 * 60_000;
const T0 = Date.parse('2024-01-02T15:00:00Z');
const BARS = syntheticBars(600, { start: T0, stepMs: STEP, seed: 11 });
const RUN_CONFIG = config(MES_TREND_START, { contract: CONTRACT, risk: { flatten_on_halt: true } });

const YAML = (id: string, extra = ''): string => `id: ${id}
kind: paper
contract: ${CONTRACT}
timeframe: 5m
signals:
  analyzer_id: mes_trend
  map: { uptrend_start: entry_long, downtrend_start: entry_short }
instrument: { kind: future, tick_size: 0.25, tick_value: 1.25 }
sizing: { type: fixed, qty: 1 }
exits: { stop_loss: { ticks: 8 }, take_profit: [{ ticks: 16 }] }
starting_capital: 10000.5
${extra}`;

let database: TestDatabase;
let prisma: PrismaClient;
let client: pg.Client;
let updates: ChannelListener<'tradeUpdate'>;
let fixture: EngineRunFixture;

const page = (runId: number, offset = 0, limit = 100) => ({ runId: BigInt(runId), offset, limit });

function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  return fn().then(
    () => {
      throw new Error('expected an error');
    },
    (err: unknown) => err,
  );
}

async function count(table: string): Promise<number> {
  return Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
}

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient(database.url, { max: 3 });
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(`INSERT INTO contracts (id, provider, symbol) VALUES ($1, 'simulated', 'MES'), ('T.EMPTY', 'simulated', 'E')`, [
    CONTRACT,
  ]);
  await insertBars(client, CONTRACT, '5m', BARS);
  fixture = await insertEngineRun(client, RUN_CONFIG, alternatingSignals(BARS, STEP, 25), { status: 'completed' });
  updates = await ChannelListener.listen(database.url, 'tradeUpdate');
});

afterAll(async () => {
  await updates?.end();
  await client?.end();
  await prisma?.$disconnect();
  await database?.drop();
});

describe('a run the engine made, read back', () => {
  it('answers PnL, drawdown and the report as exact decimal text', async () => {
    const equity = fixture.events.flatMap((e) => (e.type === 'equity' ? [e] : []));
    const start = toMoney(RUN_CONFIG.starting_capital, 'capital');
    let peak = start;
    let maxDd = 0;
    for (const p of equity) {
      peak = Math.max(peak, p.equity);
      maxDd = Math.max(maxDd, peak - p.equity);
    }
    const last = equity[equity.length - 1]!;
    const { run, report } = await readRun(prisma, BigInt(fixture.runId));
    expect(fixture.report.trades).toBeGreaterThan(3); // the fixture trades, or nothing here is tested
    expect(run).toMatchObject({
      status: 'completed',
      starting_capital: '10000',
      equity: formatMoney(last.equity),
      net_pnl: formatMoney(last.equity - start),
      max_drawdown: formatMoney(maxDd),
    });
    expect(report).toMatchObject({
      net_profit: formatMoney(fixture.report.netProfit),
      max_drawdown: formatMoney(fixture.report.maxDrawdown),
      fees_paid: formatMoney(fixture.report.feesPaid),
      trades: fixture.report.trades,
      sharpe: fixture.report.sharpe,
    });
    expect(report?.annualisation).toMatch(/√252/);
    expect(report?.max_drawdown).toBe(run.max_drawdown);
    expect((await listRuns(prisma, { status: 'completed', kind: undefined, strategyId: undefined, limit: 10 })).runs).toEqual([run]);
  });

  it('pages trades, orders and fills, with the fills’ order roles', async () => {
    const trades = fixture.events.flatMap((e) => (e.type === 'trade' ? [e] : []));
    const second = await runTrades(prisma, page(fixture.runId, 2, 2));
    expect(second.total).toBe(trades.length);
    expect(second.items.map((t) => [t.trade_no, t.pnl, t.fees])).toEqual(
      trades.slice(2, 4).map((t, i) => [i + 3, formatMoney(t.pnl), formatMoney(t.fees)]),
    );
    const fills = await runFills(prisma, page(fixture.runId, 0, 50_000));
    expect(fills.items.map((f) => f.fee)).toEqual(fixture.events.flatMap((e) => (e.type === 'fill' ? [formatMoney(e.fee)] : [])));
    expect(new Set(fills.items.map((f) => f.role))).toContain('entry');
    expect(fills.items.every((f) => f.role !== null)).toBe(true);
    const orders = await runOrders(prisma, page(fixture.runId, 0, 5));
    expect(orders.items).toHaveLength(5);
    expect((await runPositions(prisma, page(fixture.runId))).items[0]?.contract_id).toBe(CONTRACT);
  });

  it('computes each equity point’s drawdown below the running peak, across pages', async () => {
    const equity = fixture.events.flatMap((e) => (e.type === 'equity' ? [e] : []));
    let peak = toMoney(RUN_CONFIG.starting_capital, 'capital');
    const drawdowns = equity.map((p) => {
      peak = Math.max(peak, p.equity);
      return formatMoney(peak - p.equity);
    });
    const tail = await runEquity(prisma, page(fixture.runId, 300, 1000));
    expect(tail.total).toBe(equity.length);
    expect(tail.items.map((p) => p.drawdown)).toEqual(drawdowns.slice(300));
    expect(tail.items.map((p) => p.equity)).toEqual(equity.slice(300).map((p) => formatMoney(p.equity)));
  });

  it('answers 404 for an unknown run', async () => {
    expect(await thrown(() => readRun(prisma, 999_999n))).toBeInstanceOf(NotFoundError);
    expect(await thrown(() => runTrades(prisma, page(999_999)))).toBeInstanceOf(NotFoundError);
  });
});

describe('strategies', () => {
  it('stores a good YAML under its id and lists it', async () => {
    const { strategy } = await createStrategy(prisma, strategyBodySchema.parse({ config_yaml: YAML('api-one'), description: 'mine' }));
    expect(strategy).toMatchObject({ strategy_id: 'api-one', source: 'api', kind: 'paper', contract_id: CONTRACT, timeframe: '5m' });
    expect((await readStrategy(prisma, 'api-one')).strategy.config_yaml).toBe(YAML('api-one'));
    expect((await listStrategies(prisma)).strategies.map((s) => s.strategy_id)).toContain('api-one');
    expect(await thrown(() => createStrategy(prisma, strategyBodySchema.parse({ config_yaml: YAML('api-one') })))).toBeInstanceOf(
      ConflictError,
    );
  });

  it.each([
    [YAML('bad-qty').replace('qty: 1', 'qty: 1.5'), 'config_yaml.sizing.qty', /whole contracts/],
    [YAML('bad-key', 'colour: red'), 'config_yaml.(root)', /colour/],
    [YAML('bad-map').replace('entry_short', 'sell_short'), 'config_yaml.signals.map.downtrend_start', /entry_long/],
    ['id: [unclosed', 'config_yaml', /not valid YAML/],
    ['- a list', 'config_yaml', /mapping/],
  ])('refuses a bad YAML naming the key, storing nothing (%#)', async (yaml, field, message) => {
    const before = await count('strategies');
    const err = await thrown(() => createStrategy(prisma, strategyBodySchema.parse({ config_yaml: yaml })));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).field).toBe(field);
    expect((err as ValidationError).message).toMatch(message);
    expect(await count('strategies')).toBe(before);
  });

  it('replaces and deletes API strategies but refuses file strategies with 409 naming the file', async () => {
    await createStrategy(prisma, strategyBodySchema.parse({ config_yaml: YAML('api-two') }));
    const edited = YAML('api-two').replace('qty: 1', 'qty: 2');
    expect((await replaceStrategy(prisma, 'api-two', strategyBodySchema.parse({ config_yaml: edited }))).strategy.config_yaml).toBe(edited);
    const mismatch = await thrown(() => replaceStrategy(prisma, 'api-two', strategyBodySchema.parse({ config_yaml: YAML('other') })));
    expect((mismatch as ValidationError).field).toBe('config_yaml.id');
    expect(await deleteStrategy(prisma, 'api-two')).toEqual({ deleted: 'api-two' });
    expect(await thrown(() => readStrategy(prisma, 'api-two'))).toBeInstanceOf(NotFoundError);

    await client.query(`INSERT INTO strategies (strategy_id, config_yaml, source) VALUES ('from-file', $1, 'file')`, [YAML('from-file')]);
    const put = await thrown(() => replaceStrategy(prisma, 'from-file', strategyBodySchema.parse({ config_yaml: YAML('from-file') })));
    expect(put).toBeInstanceOf(ConflictError);
    expect((put as Error).message).toMatch(/config\/strategies\/from-file\.yaml/);
    expect(await thrown(() => deleteStrategy(prisma, 'from-file'))).toBeInstanceOf(ConflictError);
    expect((await readStrategy(prisma, 'from-file')).strategy.source).toBe('file');
  });
});

describe('backtests', () => {
  const body = (over: Record<string, unknown>) =>
    backtestBodySchema.parse({ strategy_id: 'api-one', from: '2024-01-02', to: '2024-01-03', ...over });

  it('creates a run (created, parsed config, range, capital) and NOTIFYs trade_update with it', async () => {
    updates.clear();
    const { run_id } = await createBacktest(prisma, body({ timeframe: '5m' }));
    const row = (await client.query(`SELECT * FROM strategy_runs WHERE run_id = $1`, [run_id])).rows[0] as Record<string, unknown>;
    expect(row).toMatchObject({ kind: 'backtest', status: 'created', contract_id: CONTRACT, timeframe: '5m', fill_model: 'bar' });
    expect(row.starting_capital).toBe('10000.50000000');
    expect(row.range_from).toEqual(new Date('2024-01-02T00:00:00Z'));
    expect(row.config).toMatchObject({ id: 'api-one', kind: 'backtest', from: '2024-01-02T00:00:00.000Z', to: '2024-01-03T00:00:00.000Z' });
    expect(await updates.take(1, 0)).toEqual([
      {
        type: 'trade_update',
        run_id,
        contract_id: CONTRACT,
        status: 'created',
        through: null,
        orders: 0,
        fills: 0,
        trades: 0,
        equity_points: 0,
        equity: null,
      },
    ]);
  });

  it('refuses a contract or range without closed bars (400 naming contract), storing and notifying nothing', async () => {
    updates.clear();
    const before = await count('strategy_runs');
    for (const over of [{ contract: 'T.EMPTY' }, { from: '2023-01-01', to: '2023-02-01' }, { contract: 'T.NONE' }]) {
      const err = await thrown(() => createBacktest(prisma, body(over)));
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe('contract');
    }
    expect(await count('strategy_runs')).toBe(before);
    // Order, not time: the next NOTIFY is the good request's.
    const { run_id } = await createBacktest(prisma, body({}));
    expect((await updates.take(1, 0)).map((m) => m.run_id)).toEqual([run_id]);
  });

  it('checks the body and the overridden config', async () => {
    const field = (over: Record<string, unknown>) =>
      backtestBodySchema.safeParse({ from: '2024-01-02', to: '2024-01-03', ...over }).error?.issues[0]?.path.join('.');
    expect(field({})).toBe('strategy_id');
    expect(field({ strategy_id: 'a', config_yaml: 'x' })).toBe('strategy_id');
    expect(field({ strategy_id: 'a', to: '2024-01-01' })).toBe('to');
    expect(field({ strategy_id: 'a', from: 'soon' })).toBe('from');
    expect(await thrown(() => createBacktest(prisma, body({ strategy_id: 'nope' })))).toBeInstanceOf(NotFoundError);
    const inline = await thrown(() =>
      createBacktest(prisma, body({ strategy_id: undefined, config_yaml: YAML('x').replace('5m', 'five') })),
    );
    expect((inline as ValidationError).field).toBe('config_yaml.timeframe');
  });
});

describe('paper runs and commands', () => {
  it('creates, starts, stops, with 409 for wrong states, each change NOTIFYd in order', async () => {
    updates.clear();
    const { run_id } = await createPaperRun(prisma, runBodySchema.parse({ strategy_id: 'api-one' }));
    const id = BigInt(run_id);
    await startRun(prisma, id);
    expect(await thrown(() => startRun(prisma, id))).toBeInstanceOf(ConflictError);
    expect((await readRun(prisma, id)).run.status).toBe('running');
    await stopRun(prisma, id);
    expect(await thrown(() => stopRun(prisma, id))).toBeInstanceOf(ConflictError);
    expect((await updates.take(3, 0)).map((m) => [m.run_id, m.status])).toEqual([
      [run_id, 'created'],
      [run_id, 'running'],
      [run_id, 'stopped'],
    ]);
    expect(await thrown(() => startRun(prisma, BigInt(fixture.runId)))).toBeInstanceOf(ConflictError); // a backtest
    expect(await thrown(() => startRun(prisma, 999_999n))).toBeInstanceOf(NotFoundError);
  });

  it('stores commands with the next seq for running runs only, and an emergency stop per running run', async () => {
    const a = BigInt((await createPaperRun(prisma, runBodySchema.parse({ strategy_id: 'api-one' }))).run_id);
    const b = BigInt((await createPaperRun(prisma, runBodySchema.parse({ config_yaml: YAML('inline') }))).run_id);
    await startRun(prisma, a);
    await startRun(prisma, b);
    const order = { type: 'submit', order: { clientOrderId: 'm1', side: 'buy', type: 'limit', qty: 1, limitPrice: 5000 } } as const;
    expect(await sendCommand(prisma, a, order)).toEqual({ run_id: Number(a), seq: 1 });
    expect(await sendCommand(prisma, a, { type: 'cancel', clientOrderId: 'm1' })).toEqual({ run_id: Number(a), seq: 2 });
    const { commands } = await emergencyStopAll(prisma, { type: 'emergency_stop', reason: 'test' });
    expect(commands).toEqual([
      { run_id: Number(a), seq: 3 },
      { run_id: Number(b), seq: 1 },
    ]);
    const stored = await client.query(`SELECT seq, command FROM run_commands WHERE run_id = $1 ORDER BY seq`, [a]);
    expect(stored.rows.map((r: { command: unknown }) => r.command)).toEqual([
      order,
      { type: 'cancel', clientOrderId: 'm1' },
      { type: 'emergency_stop', reason: 'test' },
    ]);
    await stopRun(prisma, b);
    expect(await thrown(() => sendCommand(prisma, b, { type: 'cancel', clientOrderId: 'x' }))).toBeInstanceOf(ConflictError);
  });
});
