// schema.prisma against the migrations: rules, watchlist, destinations, alerts and their deliveries.
import { describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../prisma/index.ts';
import { later, t, usePrismaDatabase } from '../support/prisma-schema-fixture.ts';

let prisma: PrismaClient;
usePrismaDatabase((client) => (prisma = client));

describe('schema.prisma agrees with the SQL migrations: alerts', () => {
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
