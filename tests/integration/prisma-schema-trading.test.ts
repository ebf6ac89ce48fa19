// schema.prisma against the migrations: strategy runs, orders, fills, trades and equity (exact money).
import { describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../prisma/index.ts';
import { later, t, usePrismaDatabase } from '../support/prisma-schema-fixture.ts';

let prisma: PrismaClient;
usePrismaDatabase((client) => (prisma = client));

describe('schema.prisma agrees with the SQL migrations: trading', () => {
  it('writes and reads the trading tables with exact numeric money', async () => {
    await prisma.contract.create({
      data: {
        id: 'MES.T',
        provider: 'simulated',
        symbol: 'MES',
        tickSize: 0.25,
        instrumentKind: 'future',
        tickValue: 1.25,
        multiplier: 5,
        initialMargin: 2400,
      },
    });
    expect(await prisma.contract.findUniqueOrThrow({ where: { id: 'MES.T' } })).toMatchObject({
      tickValue: 1.25,
      multiplier: 5,
      qtyStep: null,
    });
    await prisma.strategy.create({ data: { strategyId: 'trend-mes', configYaml: 'id: trend-mes\n', source: 'file' } });
    const sweep = await prisma.backtestSweep.create({ data: { strategyId: 'trend-mes', grid: { fast: [10, 20] } } });
    const run = await prisma.strategyRun.create({
      data: {
        strategyId: 'trend-mes',
        kind: 'backtest',
        config: { id: 'trend-mes' },
        contractId: 'MES.T',
        timeframe: '5m',
        fillModel: 'bar',
        rangeFrom: t,
        rangeTo: later,
        startingCapital: '10000.12345678',
        sweepId: sweep.sweepId,
        params: { fast: 10 },
      },
    });
    const runId = run.runId;
    await prisma.runCommand.create({ data: { runId, seq: 1, at: t, command: { type: 'emergency_stop' } } });
    await prisma.order.create({
      data: {
        runId,
        clientOrderId: `${runId}:s1:entry`,
        role: 'entry',
        side: 'buy',
        orderType: 'market',
        tif: 'gtc',
        qty: 2,
        status: 'filled',
        filledQty: 2,
        createdAt: t,
        updatedAt: t,
      },
    });
    await expect(
      prisma.order.create({
        data: {
          runId,
          clientOrderId: 'bad',
          role: 'entry',
          side: 'hold',
          orderType: 'market',
          tif: 'gtc',
          qty: 1,
          status: 'new',
          createdAt: t,
          updatedAt: t,
        },
      }),
    ).rejects.toThrow();
    await prisma.orderEvent.create({
      data: { runId, seq: 1n, time: t, clientOrderId: `${runId}:s1:entry`, status: 'new', filledQty: 0, qty: 2, revision: 0 },
    });
    await prisma.fill.create({
      data: {
        runId,
        fillId: `${runId}:s1:entry#1`,
        clientOrderId: `${runId}:s1:entry`,
        time: t,
        side: 'buy',
        qty: 2,
        price: 5600.25,
        fee: '0.74000000',
        realizedPnl: '0',
      },
    });
    await prisma.position.create({ data: { runId, contractId: 'MES.T', qty: 2, avgPrice: 5600.25, realizedPnl: '0', updatedAt: t } });
    await prisma.trade.create({
      data: {
        runId,
        tradeNo: 1,
        side: 'long',
        entryTime: t,
        exitTime: later,
        qty: 2,
        entryPrice: 5600.25,
        exitPrice: 5610,
        pnl: '96.02000000',
        fees: '1.48',
        bars: 20,
      },
    });
    await prisma.equityPoint.create({
      data: {
        runId,
        time: later,
        cash: '10096.14345678',
        equity: '10096.14345678',
        positionValue: '0',
        unrealizedPnl: '0',
        realizedPnl: '97.5',
        fees: '1.48',
        marginUsed: '0',
        position: 0,
      },
    });
    const read = await prisma.strategyRun.findUniqueOrThrow({
      where: { runId },
      include: { commands: true, orders: true, orderEvents: true, fills: true, positions: true, trades: true, sweep: true },
    });
    expect(read.startingCapital.toString()).toBe('10000.12345678');
    expect(read).toMatchObject({ status: 'created', progress: 0, sweep: { status: 'running' } });
    expect(read.fills[0]?.fee.toString()).toBe('0.74');
    expect(read.trades[0]?.pnl.toString()).toBe('96.02');
    expect([read.commands.length, read.orders.length, read.orderEvents.length, read.positions.length]).toEqual([1, 1, 1, 1]);
    const eq = await prisma.equityPoint.findUniqueOrThrow({ where: { runId_time: { runId, time: later } } });
    expect(eq.cash.toString()).toBe('10096.14345678');
    await expect(
      prisma.strategyRun.create({
        data: { kind: 'live', config: {}, contractId: 'MES.T', timeframe: '5m', fillModel: 'bar', startingCapital: '1' },
      }),
    ).rejects.toThrow();
  });

  it('writes EquityChunk and reads its points through run_equity as exact numeric rows', async () => {
    const run = await prisma.strategyRun.create({
      data: { kind: 'backtest', config: {}, contractId: 'MES.C', timeframe: '5m', fillModel: 'bar', startingCapital: '10000' },
    });
    await prisma.equityChunk.create({
      data: {
        runId: run.runId,
        firstTime: t,
        points: 2,
        time: [t, later],
        cash: [1_000_000_000_000n, 1_009_614_345_678n],
        positionValue: [0n, -1_009_614_345_679n],
        unrealizedPnl: [0n, 0n],
        realizedPnl: [0n, 9_750_000_000n],
        fees: [0n, 148_000_000n],
        marginUsed: [0n, 0n],
        position: [0, -1.5],
      },
    });
    const rows = await prisma.$queryRaw<{ time: Date; cash: string; equity: string; fees: string; position: number }[]>`
      SELECT "time", cash::text, equity::text, fees::text, position FROM run_equity WHERE run_id = ${run.runId} ORDER BY "time"`;
    expect(rows).toEqual([
      { time: t, cash: '10000.00000000', equity: '10000.00000000', fees: '0.00000000', position: 0 },
      { time: later, cash: '10096.14345678', equity: '-0.00000001', fees: '1.48000000', position: -1.5 },
    ]);
    // The arrays must hold one element per point.
    await expect(
      prisma.equityChunk.create({
        data: {
          runId: run.runId,
          firstTime: later,
          points: 2,
          time: [later],
          cash: [0n],
          positionValue: [0n],
          unrealizedPnl: [0n],
          realizedPnl: [0n],
          fees: [0n],
          marginUsed: [0n],
          position: [0],
        },
      }),
    ).rejects.toThrow(/equity_chunks_check/);
  });

  it('writes OrderEventChunk and reads its events through run_order_events as order_events rows', async () => {
    const run = await prisma.strategyRun.create({
      data: { kind: 'backtest', config: {}, contractId: 'MES.C', timeframe: '5m', fillModel: 'bar', startingCapital: '10000' },
    });
    const chunk = {
      runId: run.runId,
      firstSeq: 7n,
      events: 3,
      orderIds: ['r1:s1:entry', 'r1:s1:sl'],
      orderIndex: [1, 2, 1],
      time: [t, t, later],
      status: ['working', 'working', 'filled'],
      filledQty: [0, 0, 2],
      qty: [2, 2, 2],
      limitPrice: [5000.25, 4990.5, 5000.25],
      stopPrice: [4990, 4990, 4990],
      reason: ['a', 'b', 'gap'],
      revision: [0, 0, 1],
    };
    await prisma.orderEventChunk.create({ data: chunk });
    // NULL elements (no limit price, no reason), which Prisma cannot write, as the backtest writes them.
    await prisma.$executeRaw`INSERT INTO order_event_chunks VALUES (${run.runId}, 10, 1, '{r1:s2:entry}', '{1}', ARRAY[${later}::timestamptz],
      '{new}', '{0}', '{1}', '{NULL}', '{NULL}', '{NULL}', '{0}')`;
    const rows = await prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT seq::int, "time", client_order_id AS id, status, filled_qty AS filled, qty, limit_price AS lp, stop_price AS sp, reason, revision AS rev
        FROM run_order_events WHERE run_id = ${run.runId} ORDER BY seq`;
    expect(rows).toEqual([
      { seq: 7, time: t, id: 'r1:s1:entry', status: 'working', filled: 0, qty: 2, lp: 5000.25, sp: 4990, reason: 'a', rev: 0 },
      { seq: 8, time: t, id: 'r1:s1:sl', status: 'working', filled: 0, qty: 2, lp: 4990.5, sp: 4990, reason: 'b', rev: 0 },
      { seq: 9, time: later, id: 'r1:s1:entry', status: 'filled', filled: 2, qty: 2, lp: 5000.25, sp: 4990, reason: 'gap', rev: 1 },
      { seq: 10, time: later, id: 'r1:s2:entry', status: 'new', filled: 0, qty: 1, lp: null, sp: null, reason: null, rev: 0 },
    ]);
    // The arrays must hold one element per event.
    await expect(prisma.orderEventChunk.create({ data: { ...chunk, firstSeq: 11n, revision: [0, 0] } })).rejects.toThrow(
      /order_event_chunks_check/,
    );
  });

  it('writes OrderChunk and reads its orders through run_orders as orders rows', async () => {
    const run = await prisma.strategyRun.create({
      data: { kind: 'backtest', config: {}, contractId: 'MES.C', timeframe: '5m', fillModel: 'bar', startingCapital: '10000' },
    });
    const chunk = {
      runId: run.runId,
      firstSeq: 7n,
      orders: 2,
      clientOrderId: ['r1:s1:entry', 'r1:s1:sl'],
      role: ['entry', 'stop_loss'],
      side: ['buy', 'sell'],
      orderType: ['limit', 'stop'],
      tif: ['gtc', 'day'],
      qty: [2, 2],
      filledQty: [2, 0],
      limitPrice: [5000.25, 4990.5],
      stopPrice: [4990, 4990],
      status: ['filled', 'cancelled'],
      reason: ['a', 'oco'],
      revision: [0, 1],
      signalKey: ['k1', 'k1'],
      createdAt: [t, t],
      updatedAt: [t, later],
    };
    await prisma.orderChunk.create({ data: chunk });
    // NULL elements (no price, no reason, no signal), which Prisma cannot write, as the backtest writes them.
    await prisma.$executeRaw`INSERT INTO order_chunks VALUES (${run.runId}, 10, 1, '{r1:halt:flatten}', '{flatten}', '{sell}',
      '{market}', '{gtc}', '{1}', '{1}', '{NULL}', '{NULL}', '{filled}', '{NULL}', '{0}', '{NULL}', ARRAY[${later}::timestamptz],
      ARRAY[${later}::timestamptz])`;
    // A working order of the same run stays a row.
    await prisma.order.create({
      data: {
        runId: run.runId,
        clientOrderId: 'r1:s2:tp',
        role: 'take_profit',
        side: 'sell',
        orderType: 'limit',
        tif: 'gtc',
        qty: 1,
        limitPrice: 5010,
        status: 'working',
        createdAt: later,
        updatedAt: later,
      },
    });
    const rows = await prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT client_order_id AS id, role, side, order_type AS type, tif, qty, filled_qty AS filled, limit_price AS lp,
             stop_price AS sp, status, reason, revision AS rev, signal_key AS sk, created_at AS c, updated_at AS u
        FROM run_orders WHERE run_id = ${run.runId} ORDER BY client_order_id`;
    expect(rows).toEqual([
      {
        id: 'r1:halt:flatten',
        role: 'flatten',
        side: 'sell',
        type: 'market',
        tif: 'gtc',
        qty: 1,
        filled: 1,
        lp: null,
        sp: null,
        status: 'filled',
        reason: null,
        rev: 0,
        sk: null,
        c: later,
        u: later,
      },
      {
        id: 'r1:s1:entry',
        role: 'entry',
        side: 'buy',
        type: 'limit',
        tif: 'gtc',
        qty: 2,
        filled: 2,
        lp: 5000.25,
        sp: 4990,
        status: 'filled',
        reason: 'a',
        rev: 0,
        sk: 'k1',
        c: t,
        u: t,
      },
      {
        id: 'r1:s1:sl',
        role: 'stop_loss',
        side: 'sell',
        type: 'stop',
        tif: 'day',
        qty: 2,
        filled: 0,
        lp: 4990.5,
        sp: 4990,
        status: 'cancelled',
        reason: 'oco',
        rev: 1,
        sk: 'k1',
        c: t,
        u: later,
      },
      {
        id: 'r1:s2:tp',
        role: 'take_profit',
        side: 'sell',
        type: 'limit',
        tif: 'gtc',
        qty: 1,
        filled: 0,
        lp: 5010,
        sp: null,
        status: 'working',
        reason: null,
        rev: 0,
        sk: null,
        c: later,
        u: later,
      },
    ]);
    // The arrays must hold one element per order.
    await expect(prisma.orderChunk.create({ data: { ...chunk, firstSeq: 11n, revision: [0] } })).rejects.toThrow(/order_chunks_check/);
  });
});
