// alerts through Prisma: the filtered, paged list (newest first) with each alert's delivery states, one
// alert with every delivery attempt, counts by rule / contract / day, and the read state.
// Takes the client as an argument so the integration test runs it against a test database.
import { NotFoundError } from '@barstream/core';
import type { PrismaClient } from '@barstream/prisma';
import type { AlertDetailResponse, AlertFilter, AlertsQuery, AlertsResponse, AlertStatsResponse, WireAlert } from '../api/alert-schemas.ts';

type AlertWhere = NonNullable<Parameters<PrismaClient['alert']['findMany']>[0]>['where'];

export function alertWhere(f: AlertFilter): AlertWhere {
  return {
    ...(f.contractId === undefined ? {} : { contractId: f.contractId }),
    ...(f.rule === undefined ? {} : { ruleName: f.rule }),
    ...(f.severity === undefined ? {} : { severity: f.severity }),
    ...(f.isRead === undefined ? {} : { isRead: f.isRead }),
    ...(f.timeframe === undefined ? {} : { timeframe: f.timeframe }),
    ...(f.from === undefined && f.to === undefined ? {} : { barTime: { gte: f.from, lte: f.to } }),
  };
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

const deliveryInclude = {
  deliveries: { include: { destination: { select: { name: true, kind: true } } }, orderBy: { destinationId: 'asc' } },
} as const;

type AlertRow = NonNullable<Awaited<ReturnType<PrismaClient['alert']['findFirst']>>>;
type DeliveryRow = NonNullable<Awaited<ReturnType<PrismaClient['alertDelivery']['findFirst']>>> & {
  destination: { name: string; kind: string };
};

function wireDelivery(d: DeliveryRow): WireAlert['deliveries'][number] {
  return {
    destination_id: Number(d.destinationId),
    destination: d.destination.name,
    kind: d.destination.kind,
    status: d.status as WireAlert['deliveries'][number]['status'],
    attempts: d.attempts,
    last_error: d.lastError,
    last_attempt_at: iso(d.lastAttemptAt),
    delivered_at: iso(d.deliveredAt),
  };
}

export function wireAlert(a: AlertRow & { deliveries: DeliveryRow[] }): WireAlert {
  // One outbox holds both messages of an (alert, destination): the alert and its retraction.
  const alertDeliveries = a.deliveries.filter((d) => d.kind !== 'retraction');
  const retractions = a.deliveries.filter((d) => d.kind === 'retraction');
  return {
    alert_id: Number(a.alertId),
    alert_key: a.alertKey,
    rule_id: a.ruleId === null ? null : Number(a.ruleId),
    rule: a.ruleName,
    rule_type: a.ruleType,
    contract_id: a.contractId,
    timeframe: a.timeframe,
    setup_type: a.setupType,
    severity: a.severity as WireAlert['severity'],
    direction: a.direction as WireAlert['direction'],
    bar_time: a.barTime.toISOString(),
    known_at: a.knownAt.toISOString(),
    entry_price: a.entryPrice,
    stop_loss: a.stopLoss,
    target: a.target,
    confidence: a.confidence,
    details: typeof a.details === 'object' && a.details !== null && !Array.isArray(a.details) ? a.details : {},
    link: a.link,
    is_read: a.isRead,
    created_at: a.createdAt.toISOString(),
    deliveries: alertDeliveries.map(wireDelivery),
    retracted_at: iso(a.retractedAt),
    retractions: retractions.map(wireDelivery),
  };
}

export async function listAlerts(prisma: PrismaClient, q: AlertsQuery): Promise<AlertsResponse> {
  const rows = await prisma.alert.findMany({
    where: { ...alertWhere(q), ...(q.beforeId === undefined ? {} : { alertId: { lt: q.beforeId } }) },
    orderBy: { alertId: 'desc' },
    // One more than the page tells whether an older page exists.
    take: q.limit + 1,
    include: deliveryInclude,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    alerts: page.map(wireAlert),
    next_before_id: rows.length > q.limit && last !== undefined ? Number(last.alertId) : null,
  };
}

export async function alertDetail(prisma: PrismaClient, id: bigint): Promise<AlertDetailResponse> {
  const row = await prisma.alert.findUnique({
    where: { alertId: id },
    include: {
      deliveries: {
        include: { destination: { select: { name: true, kind: true } }, attemptRows: { orderBy: { attempt: 'asc' } } },
        orderBy: { destinationId: 'asc' },
      },
    },
  });
  if (!row) throw new NotFoundError(`alert ${id}`);
  const base = wireAlert(row);
  return {
    alert: {
      ...base,
      deliveries: row.deliveries
        .filter((d) => d.kind !== 'retraction')
        .map((d) => ({
          ...wireDelivery(d),
          attempt_history: d.attemptRows.map((t) => ({
            attempt: t.attempt,
            attempted_at: t.attemptedAt.toISOString(),
            ok: t.ok,
            status_code: t.statusCode,
            error: t.error,
            duration_ms: t.durationMs,
          })),
        })),
    },
  };
}

export async function setAlertRead(prisma: PrismaClient, id: bigint, isRead: boolean): Promise<WireAlert> {
  const found = await prisma.alert.findUnique({ where: { alertId: id }, select: { alertId: true } });
  if (!found) throw new NotFoundError(`alert ${id}`);
  const row = await prisma.alert.update({ where: { alertId: id }, data: { isRead }, include: deliveryInclude });
  return wireAlert(row);
}

export async function setAlertsRead(prisma: PrismaClient, filter: AlertFilter, isRead: boolean): Promise<{ updated: number }> {
  // Only rows whose state changes, so `updated` says how many moved.
  const { count } = await prisma.alert.updateMany({ where: { ...alertWhere(filter), isRead: !isRead }, data: { isRead } });
  return { updated: count };
}

function countsBy<K extends string>(
  rows: readonly { key: string; isRead: boolean; count: number }[],
  name: K,
): ({ count: number; unread: number } & Record<K, string>)[] {
  const byKey = new Map<string, { count: number; unread: number }>();
  for (const r of rows) {
    const entry = byKey.get(r.key) ?? { count: 0, unread: 0 };
    entry.count += r.count;
    if (!r.isRead) entry.unread += r.count;
    byKey.set(r.key, entry);
  }
  return [...byKey]
    .map(([key, c]) => ({ [name]: key, ...c }) as { count: number; unread: number } & Record<K, string>)
    .sort((a, b) => b.count - a.count || (a[name] < b[name] ? -1 : 1));
}

/** Counts per UTC date of created_at and read state: Prisma's groupBy cannot truncate a time. */
function alertsPerDay(prisma: PrismaClient, f: AlertFilter): Promise<{ day: string; is_read: boolean; count: bigint }[]> {
  const values: unknown[] = [];
  const where: string[] = [];
  const add = (column: string, op: string, value: unknown): void => {
    values.push(value);
    where.push(`${column} ${op} $${values.length}`);
  };
  if (f.contractId !== undefined) add('contract_id', '=', f.contractId);
  if (f.rule !== undefined) add('rule_name', '=', f.rule);
  if (f.severity !== undefined) add('severity', '=', f.severity);
  if (f.isRead !== undefined) add('is_read', '=', f.isRead);
  if (f.timeframe !== undefined) add('timeframe', '=', f.timeframe);
  if (f.from !== undefined) add('bar_time', '>=', f.from);
  if (f.to !== undefined) add('bar_time', '<=', f.to);
  return prisma.$queryRawUnsafe(
    `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, is_read, count(*) AS count FROM alerts
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY 1, 2`,
    ...values,
  );
}

export async function alertStats(prisma: PrismaClient, filter: AlertFilter): Promise<AlertStatsResponse> {
  const where = alertWhere(filter);
  const [byRule, byContract, days] = await Promise.all([
    prisma.alert.groupBy({ by: ['ruleName', 'isRead'], where, _count: { _all: true } }),
    prisma.alert.groupBy({ by: ['contractId', 'isRead'], where, _count: { _all: true } }),
    alertsPerDay(prisma, filter),
  ]);
  const rule = countsBy(
    byRule.map((r) => ({ key: r.ruleName, isRead: r.isRead, count: r._count._all })),
    'rule',
  );
  const contract = countsBy(
    byContract.map((r) => ({ key: r.contractId, isRead: r.isRead, count: r._count._all })),
    'contract_id',
  );
  const day = countsBy(
    days.map((r) => ({ key: r.day, isRead: r.is_read, count: Number(r.count) })),
    'day',
  ).sort((a, b) => (a.day < b.day ? -1 : 1));
  const total = rule.reduce((n, r) => n + r.count, 0);
  const unread = rule.reduce((n, r) => n + r.unread, 0);
  return { total, unread, by_rule: rule, by_contract: contract, by_day: day };
}
