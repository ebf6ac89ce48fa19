// schema.prisma against the migrations: contracts, ticks, bars, signals, watermarks and trend labels.
import { describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../prisma/index.ts';
import { t, usePrismaDatabase } from '../support/prisma-schema-fixture.ts';

let prisma: PrismaClient;
usePrismaDatabase((client) => (prisma = client));

describe('schema.prisma agrees with the SQL migrations: market data', () => {
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

  it('writes and reads TrendLabel, one per bar and author', async () => {
    const data = { contractId: 'C', timeframe: '5m', timestamp: t, labelType: 'uptrend_start', author: 'ann' };
    const created = await prisma.trendLabel.create({ data });
    expect(created.labelId).toBeGreaterThan(0n);
    const read = await prisma.trendLabel.findUniqueOrThrow({ where: { labelId: created.labelId } });
    expect(read).toMatchObject({ labelType: 'uptrend_start', author: 'ann' });
    await expect(prisma.trendLabel.create({ data })).rejects.toThrow();
    await expect(prisma.trendLabel.create({ data: { ...data, author: 'bob', labelType: 'sideways' } })).rejects.toThrow();
  });
});
