// schema.prisma against the migrations: the SMC study tables (events, zones, progress).
import { describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../prisma/index.ts';
import { later, t, usePrismaDatabase } from '../support/prisma-schema-fixture.ts';

let prisma: PrismaClient;
usePrismaDatabase((client) => (prisma = client));

describe('schema.prisma agrees with the SQL migrations: SMC studies', () => {
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
});
