import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '../../prisma/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let db: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

const t = new Date('2025-03-16T22:00:00.000Z');
const later = new Date('2025-03-16T23:40:00.000Z');

describe('schema.prisma agrees with the SQL migrations', () => {
  it('writes and reads Contract', async () => {
    await prisma.contract.create({
      data: { id: 'CON.F.US.MES.M25', provider: 'projectx', symbol: 'MES', tickSize: 0.25, sessionCalendar: 'cme_globex' },
    });
    const c = await prisma.contract.findUniqueOrThrow({ where: { id: 'CON.F.US.MES.M25' } });
    expect(c).toMatchObject({ provider: 'projectx', symbol: 'MES', tickSize: 0.25, sessionCalendar: 'cme_globex', name: '' });
    expect(c.createdAt).toBeInstanceOf(Date);
  });

  it('writes and reads OhlcBar', async () => {
    await prisma.ohlcBar.create({
      data: {
        contractId: 'C',
        timestamp: t,
        open: 1.5,
        high: 2.25,
        low: 1,
        close: 2,
        volume: 0.125,
        timeframeUnit: 2,
        timeframeValue: 5,
        timeframe: '5m',
        isClosed: true,
      },
    });
    const bar = await prisma.ohlcBar.findUniqueOrThrow({
      where: {
        contractId_timeframeUnit_timeframeValue_timestamp: {
          contractId: 'C',
          timeframeUnit: 2,
          timeframeValue: 5,
          timestamp: t,
        },
      },
    });
    expect(bar).toMatchObject({ open: 1.5, high: 2.25, low: 1, close: 2, volume: 0.125, timeframe: '5m', isClosed: true });
  });

  it('writes and reads Tick with microsecond timestamps kept by the database', async () => {
    await prisma.tick.create({ data: { contractId: 'C', timestamp: t, price: 5000.25, volume: 3, side: 'buy', tradeId: '42' } });
    const [tick] = await prisma.tick.findMany({ where: { contractId: 'C' } });
    expect(tick).toMatchObject({ price: 5000.25, volume: 3, side: 'buy', tradeId: '42' });
    const raw = await prisma.$queryRaw<
      Array<{ ts: string }>
    >`SELECT to_char('2025-01-01 00:00:00.123456+00'::timestamptz AT TIME ZONE 'UTC', 'US') AS ts`;
    expect(raw[0]?.ts).toBe('123456');
  });

  it('writes and reads DetectedSignal and enforces its unique key', async () => {
    const data = {
      analyzerId: 'cus_cds_trend_finder',
      timestamp: t,
      contractId: 'C',
      timeframe: '4h',
      signalType: 'uptrend_start',
      signalPrice: 5654.25,
      signalOpen: 1,
      signalHigh: 2,
      signalLow: 0.5,
      signalClose: 1.5,
      signalVolume: 10,
      details: { rule: 'EXHAUSTION_REVERSAL' },
    };
    const created = await prisma.detectedSignal.create({ data });
    expect(created.signalId).toBeGreaterThan(0);
    expect(created.triggerTimestamp).toBeInstanceOf(Date);
    const read = await prisma.detectedSignal.findUniqueOrThrow({ where: { signalId: created.signalId } });
    expect(read.details).toEqual({ rule: 'EXHAUSTION_REVERSAL' });
    await expect(prisma.detectedSignal.create({ data })).rejects.toThrow();
  });

  it('writes and reads AnalyzerWatermark', async () => {
    await prisma.analyzerWatermark.create({ data: { analyzerId: 'a', contractId: 'C', timeframe: '1m', lastProcessedTimestamp: t } });
    const w = await prisma.analyzerWatermark.findUniqueOrThrow({
      where: { analyzerId_contractId_timeframe: { analyzerId: 'a', contractId: 'C', timeframe: '1m' } },
    });
    expect(w.lastProcessedTimestamp.toISOString()).toBe(t.toISOString());
  });

  it('writes and reads SmcEvent (a structure break with its broken bar)', async () => {
    const key = { studyId: 's', contractId: 'C', timeframe: '5m', study: 'bos_choch', barTime: t };
    await prisma.smcEvent.create({
      data: { ...key, kind: 'choch', barIndex: 12, direction: -1, level: 5000.25, brokenTime: later, brokenIndex: 20, confirmed: false },
    });
    const e = await prisma.smcEvent.findUniqueOrThrow({ where: { studyId_contractId_timeframe_study_barTime: key } });
    expect(e).toMatchObject({ kind: 'choch', barIndex: 12, direction: -1, level: 5000.25, brokenIndex: 20, confirmed: false });
    expect(e.brokenTime?.toISOString()).toBe(later.toISOString());
    await expect(prisma.smcEvent.create({ data: { ...key, study: 'fvg', kind: 'bos', barIndex: 1, confirmed: true } })).rejects.toThrow();
  });

  it('writes and reads Zone (an order block, not mitigated)', async () => {
    const key = { studyId: 's', contractId: 'C', timeframe: '5m', study: 'ob', barTime: t };
    await prisma.zone.create({
      data: { ...key, barIndex: 3, side: 1, top: 10.5, bottom: 9.75, volume: 1234, percentage: 55.5, confirmed: false },
    });
    const z = await prisma.zone.findUniqueOrThrow({ where: { studyId_contractId_timeframe_study_barTime: key } });
    expect(z).toMatchObject({ side: 1, top: 10.5, bottom: 9.75, volume: 1234, percentage: 55.5, mitigatedTime: null, endIndex: null });
    await expect(
      prisma.zone.create({ data: { ...key, barTime: later, barIndex: 4, side: 1, top: 1, bottom: 2, confirmed: true } }),
    ).rejects.toThrow();
  });

  it('writes and reads SmcStudyState', async () => {
    const key = { studyId: 's', contractId: 'C', timeframe: '5m' };
    await prisma.smcStudyState.create({ data: { ...key, windowSpec: 'last:20000', firstBarTime: t, through: later } });
    const st = await prisma.smcStudyState.findUniqueOrThrow({ where: { studyId_contractId_timeframe: key } });
    expect(st).toMatchObject({ windowSpec: 'last:20000' });
    expect(st.through?.toISOString()).toBe(later.toISOString());
  });

  it('writes and reads TrendLabel, one per bar and author', async () => {
    const data = { contractId: 'C', timeframe: '5m', timestamp: t, labelType: 'uptrend_start', author: 'ann' };
    const created = await prisma.trendLabel.create({ data });
    expect(created.labelId).toBeGreaterThan(0n);
    const read = await prisma.trendLabel.findUniqueOrThrow({ where: { labelId: created.labelId } });
    expect(read).toMatchObject({ labelType: 'uptrend_start', author: 'ann' });
    await expect(prisma.trendLabel.create({ data })).rejects.toThrow();
    await expect(prisma.trendLabel.create({ data: { ...data, author: 'bob', labelType: 'sideways' } })).rejects.toThrow();
  });

  it('writes and reads the alert tables: Rule, WatchlistEntry, AlertDestination, Alert, AlertDelivery, AlertDeliveryAttempt', async () => {
    const rule = await prisma.rule.create({
      data: { name: 'mes-trend', ruleType: 'signal', configYaml: 'name: mes-trend\n', source: 'file' },
    });
    await expect(prisma.rule.create({ data: { name: 'Bad Name', ruleType: 'signal', configYaml: '' } })).rejects.toThrow();
    await prisma.watchlistEntry.create({ data: { contractId: 'SIM.MES', notes: 'main' } });
    expect(await prisma.watchlistEntry.findUniqueOrThrow({ where: { contractId: 'SIM.MES' } })).toMatchObject({
      isActive: true,
      notes: 'main',
    });
    const dest = await prisma.alertDestination.create({
      data: { name: 'hook', kind: 'webhook', config: { url: 'http://127.0.0.1:1/x' }, secret: 's3cret', minSeverity: 'warning' },
    });
    await expect(prisma.alertDestination.create({ data: { name: 'x', kind: 'pigeon' } })).rejects.toThrow();
    const alert = await prisma.alert.create({
      data: {
        alertKey: `mes-trend|SIM.MES|5m|${t.toISOString()}|uptrend_start`,
        ruleId: rule.ruleId,
        ruleName: 'mes-trend',
        ruleType: 'signal',
        contractId: 'SIM.MES',
        timeframe: '5m',
        setupType: 'uptrend_start',
        severity: 'warning',
        direction: 'long',
        barTime: t,
        knownAt: later,
        entryPrice: 5600.25,
        confidence: 0.75,
        details: { close: 5600.25 },
        link: '/trends?contract=SIM.MES',
      },
    });
    await expect(prisma.alert.create({ data: { ...alertRowBase(), alertKey: alert.alertKey } })).rejects.toThrow();
    await prisma.alertDelivery.create({ data: { alertId: alert.alertId, destinationId: dest.destinationId, idempotencyKey: 'k1' } });
    await prisma.alertDeliveryAttempt.create({
      data: { alertId: alert.alertId, destinationId: dest.destinationId, attempt: 1, ok: false, statusCode: 500, durationMs: 3.5 },
    });
    const read = await prisma.alert.findUniqueOrThrow({
      where: { alertId: alert.alertId },
      include: { rule: true, deliveries: { include: { attemptRows: true } } },
    });
    expect(read).toMatchObject({ isRead: false, severity: 'warning', direction: 'long', rule: { name: 'mes-trend' } });
    expect(read.deliveries[0]).toMatchObject({ status: 'queued', attempts: 0, idempotencyKey: 'k1' });
    expect(read.deliveries[0]?.attemptRows[0]).toMatchObject({ ok: false, statusCode: 500 });
    await prisma.rule.delete({ where: { ruleId: rule.ruleId } });
    expect((await prisma.alert.findUniqueOrThrow({ where: { alertId: alert.alertId } })).ruleId).toBeNull();
  });

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
        equity: [1_000_000_000_000n, -1n],
        positionValue: [0n, 0n],
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
          equity: [0n],
          positionValue: [0n],
          unrealizedPnl: [0n],
          realizedPnl: [0n],
          fees: [0n],
          marginUsed: [0n],
          position: [0],
        },
      }),
    ).rejects.toThrow();
  });

  it('writes and reads ApiKey, one per prefix, scope read or write', async () => {
    const data = { name: 'ci', scope: 'write', prefix: 'abcdef123456', hash: 'scrypt$1024$8$1$salt$hash' };
    const created = await prisma.apiKey.create({ data });
    expect(created.id).toBeGreaterThan(0n);
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created).toMatchObject({ lastUsedAt: null, revokedAt: null });
    await prisma.apiKey.update({ where: { prefix: data.prefix }, data: { revokedAt: later } });
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } })).revokedAt?.toISOString()).toBe(later.toISOString());
    await expect(prisma.apiKey.create({ data })).rejects.toThrow();
    await expect(prisma.apiKey.create({ data: { ...data, prefix: '000000000000', scope: 'admin' } })).rejects.toThrow();
  });
});

function alertRowBase() {
  return {
    ruleName: 'r',
    ruleType: 'signal',
    contractId: 'C',
    timeframe: '5m',
    setupType: 's',
    severity: 'info',
    barTime: t,
    knownAt: t,
    confidence: 0.5,
    link: '/trends',
  };
}
