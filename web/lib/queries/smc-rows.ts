// Reads smc_events and zones through Prisma: the newest `limit` rows whose life overlaps a time range,
// oldest first, as wire rows. Takes the client as an argument so the API's integration test runs it
// against a test database.
import { formatTimeframe } from '@barstream/core';
import type { PrismaClient } from '@barstream/prisma';
import type { WireSmcEvent, WireZone } from '../api/smc-response-schemas.ts';
import type { SmcEventsQuery, SmcZonesQuery } from '../api/smc-routes.ts';

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** bar_time <= to, and the row's span (bar_time → broken_time) reaches `from`. */
export async function readSmcEvents(prisma: PrismaClient, q: SmcEventsQuery): Promise<WireSmcEvent[]> {
  const rows = await prisma.smcEvent.findMany({
    where: {
      contractId: q.contractId,
      timeframe: formatTimeframe(q.timeframe),
      ...(q.studyId === undefined ? {} : { studyId: q.studyId }),
      ...(q.kinds === undefined ? {} : { kind: { in: [...q.kinds] } }),
      ...(q.to === undefined ? {} : { barTime: { lte: q.to } }),
      ...(q.from === undefined ? {} : { OR: [{ barTime: { gte: q.from } }, { brokenTime: { gte: q.from } }] }),
    },
    orderBy: [{ barTime: 'desc' }, { study: 'desc' }, { studyId: 'desc' }],
    take: q.limit,
  });
  return rows.reverse().map((r) => ({
    study_id: r.studyId,
    study: r.study as WireSmcEvent['study'],
    kind: r.kind as WireSmcEvent['kind'],
    bar_time: r.barTime.toISOString(),
    bar_index: r.barIndex,
    direction: r.direction,
    level: r.level,
    broken_time: iso(r.brokenTime),
    broken_index: r.brokenIndex,
    confirmed: r.confirmed,
  }));
}

/** bar_time <= to, and the zone is still active or was mitigated at or after `from`. */
export async function readSmcZones(prisma: PrismaClient, q: SmcZonesQuery): Promise<WireZone[]> {
  const rows = await prisma.zone.findMany({
    where: {
      AND: [
        {
          contractId: q.contractId,
          timeframe: formatTimeframe(q.timeframe),
          ...(q.studyId === undefined ? {} : { studyId: q.studyId }),
          ...(q.studies === undefined ? {} : { study: { in: [...q.studies] } }),
          ...(q.to === undefined ? {} : { barTime: { lte: q.to } }),
        },
        q.active === undefined ? {} : q.active ? { mitigatedTime: null } : { mitigatedTime: { not: null } },
        q.from === undefined ? {} : { OR: [{ barTime: { gte: q.from } }, { mitigatedTime: null }, { mitigatedTime: { gte: q.from } }] },
      ],
    },
    orderBy: [{ barTime: 'desc' }, { study: 'desc' }, { studyId: 'desc' }],
    take: q.limit,
  });
  return rows.reverse().map((r) => ({
    study_id: r.studyId,
    study: r.study as WireZone['study'],
    bar_time: r.barTime.toISOString(),
    bar_index: r.barIndex,
    side: r.side,
    top: r.top,
    bottom: r.bottom,
    end_time: iso(r.endTime),
    end_index: r.endIndex,
    mitigated_time: iso(r.mitigatedTime),
    mitigated_index: r.mitigatedIndex,
    volume: r.volume,
    percentage: r.percentage,
    confirmed: r.confirmed,
  }));
}
