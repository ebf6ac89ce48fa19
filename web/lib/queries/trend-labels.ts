// trend_labels through Prisma: list, label a bar (create or replace), delete, CSV export and import,
// and a detector's score over the labels (the scoring SQL of core, run as Prisma raw queries).
import 'server-only';
import { formatTimeframe, NotFoundError, parseTimeframe, scoreWire, type TrendLabelType, ValidationError } from '@barstream/core';
import { formatTrendLabelCsv, parseTrendLabelCsv, type Queryable, scoreRange } from '@barstream/core/node';
import type { TrendLabelScoreQuery, TrendLabelsQuery } from '../api/trend-label-routes.ts';
import type { ScoreResponse, TrendLabelBody, TrendLabelsResponse, WireTrendLabel } from '../api/trend-label-schemas.ts';
import { MAX_LIMIT } from '../api/query-fields.ts';
import { db } from '../server/db.ts';
import { requireConfiguredTimeframe } from './contracts.ts';

/** Rows one import may hold: a trader's labels are hundreds; this bounds one request's transaction. */
export const MAX_IMPORT_ROWS = 20_000;

interface LabelRow {
  labelId: bigint;
  contractId: string;
  timeframe: string;
  timestamp: Date;
  labelType: string;
  author: string;
  createdAt: Date;
}

function wire(r: LabelRow): WireTrendLabel {
  return {
    label_id: Number(r.labelId),
    contract_id: r.contractId,
    timeframe: r.timeframe,
    timestamp: r.timestamp.toISOString(),
    label_type: r.labelType as TrendLabelType,
    author: r.author,
    created_at: r.createdAt.toISOString(),
  };
}

function readLabels(q: TrendLabelsQuery): Promise<LabelRow[]> {
  requireConfiguredTimeframe(q.timeframe);
  return db().trendLabel.findMany({
    where: {
      contractId: q.contractId,
      timeframe: formatTimeframe(q.timeframe),
      timestamp: { gte: q.from, lte: q.to },
      ...(q.author === undefined ? {} : { author: q.author }),
    },
    orderBy: [{ timestamp: 'asc' }, { author: 'asc' }],
    // Bounds one answer like every list route; a trader's labels are hundreds.
    take: MAX_LIMIT,
  });
}

export async function trendLabels(q: TrendLabelsQuery): Promise<TrendLabelsResponse> {
  return { contract_id: q.contractId, timeframe: formatTimeframe(q.timeframe), labels: (await readLabels(q)).map(wire) };
}

export async function trendLabelsCsv(q: TrendLabelsQuery): Promise<string> {
  return formatTrendLabelCsv(
    (await readLabels(q)).map((r) => ({
      contractId: r.contractId,
      timeframe: r.timeframe,
      time: r.timestamp.getTime(),
      labelType: r.labelType as TrendLabelType,
      author: r.author,
      createdAt: r.createdAt.getTime(),
    })),
  );
}

/** Labels a bar for an author, replacing their label of that bar; the bar must exist. */
export async function saveTrendLabel(body: TrendLabelBody): Promise<WireTrendLabel> {
  const timeframe = parseTimeframe(body.timeframe);
  requireConfiguredTimeframe(timeframe);
  const bar = await db().ohlcBar.findUnique({
    where: {
      contractId_timeframeUnit_timeframeValue_timestamp: {
        contractId: body.contract_id,
        timeframeUnit: timeframe.unit,
        timeframeValue: timeframe.value,
        timestamp: body.timestamp,
      },
    },
    select: { timestamp: true },
  });
  const tf = formatTimeframe(timeframe);
  if (!bar) throw new NotFoundError(`${tf} bar of '${body.contract_id}' starting at ${body.timestamp.toISOString()}`);
  const key = { contractId: body.contract_id, timeframe: tf, timestamp: body.timestamp, author: body.author };
  const row = await db().trendLabel.upsert({
    where: { contractId_timeframe_timestamp_author: key },
    create: { ...key, labelType: body.label_type },
    update: { labelType: body.label_type, createdAt: new Date() },
  });
  return wire(row);
}

export async function deleteTrendLabel(id: bigint): Promise<{ deleted: WireTrendLabel }> {
  const rows = await db().$transaction(async (tx) => {
    const found = await tx.trendLabel.findUnique({ where: { labelId: id } });
    if (found) await tx.trendLabel.delete({ where: { labelId: id } });
    return found;
  });
  if (!rows) throw new NotFoundError(`trend label ${id}`);
  return { deleted: wire(rows) };
}

/** Stores every row of a labels CSV in one transaction, or none when any row is bad. */
export async function importTrendLabels(csv: string): Promise<{ imported: number }> {
  const { rows, errors } = parseTrendLabelCsv(csv);
  if (errors.length > 0) {
    const first = errors[0] as { line: number; reason: string };
    const column = /^([a-z_]+):/.exec(first.reason)?.[1];
    throw new ValidationError(
      `line ${first.line}${column ? `: ${column}` : ''}`,
      `nothing imported; ${errors.map((e) => `line ${e.line}: ${e.reason}`).join('; ')}`.slice(0, 4000),
    );
  }
  if (rows.length > MAX_IMPORT_ROWS) throw new ValidationError('body', `has ${rows.length} rows; at most ${MAX_IMPORT_ROWS} per import`);
  await db().$transaction(
    async (tx) => {
      for (const r of rows) {
        const key = { contractId: r.contractId, timeframe: r.timeframe, timestamp: new Date(r.time), author: r.author };
        const createdAt = r.createdAt === null ? new Date() : new Date(r.createdAt);
        await tx.trendLabel.upsert({
          where: { contractId_timeframe_timestamp_author: key },
          create: { ...key, labelType: r.labelType, createdAt },
          update: { labelType: r.labelType, createdAt },
        });
      }
    },
    { timeout: 60_000 },
  );
  return { imported: rows.length };
}

/** core's scoring SQL through Prisma, so web keeps one database client. */
const prismaQueryable: Queryable = {
  query: async (text, values) => ({ rows: await db().$queryRawUnsafe<unknown[]>(text, ...values) }),
};

export async function trendLabelScore(q: TrendLabelScoreQuery): Promise<ScoreResponse> {
  requireConfiguredTimeframe(q.timeframe);
  const scored = await scoreRange(prismaQueryable, q);
  return scoreWire(scored, scored);
}
