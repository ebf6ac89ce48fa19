// `npm run analyzer -- labels export|import`: trend labels (trend_labels) to and from CSV, the same
// layout as GET /api/trend-labels/export and POST /api/trend-labels/import. Here rather than in
// `npm run export`/`import`, which move bars and signals between files and the database as bulk
// COPY streams with their own contract checks: labels are a few hundred hand-made rows scored by
// the analyzer's `score`, so they sit beside it.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { formatTimeframe, parseTimeframe, type TrendLabelType } from '@barstream/core';
import { formatTrendLabelCsv, parseTrendLabelCsv, type ReadTrendLabel } from '@barstream/core/node';
import type { Pool } from '@barstream/core/node';
import { LABELS_USAGE, readLabelsFlags } from './labels-flags.ts';
import { writeUsageError } from './usage-answer.ts';

export interface LabelsCommandIo {
  /** Opened only once the arguments are good. */
  readonly pool: () => Promise<Pool>;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

const LIST_SQL = `SELECT contract_id, timeframe, "timestamp", label_type, author, created_at FROM trend_labels
 WHERE contract_id = $1 AND timeframe = $2 AND ($3::text IS NULL OR author = $3)
 ORDER BY "timestamp", author`;

/** One statement per file: the rows as parallel arrays, upserted by (bar, author). */
const IMPORT_SQL = `INSERT INTO trend_labels (contract_id, timeframe, "timestamp", label_type, author, created_at)
 SELECT c, tf, ts, lt, a, coalesce(ca, now())
   FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::timestamptz[]) AS r(c, tf, ts, lt, a, ca)
 ON CONFLICT (contract_id, timeframe, "timestamp", author)
 DO UPDATE SET label_type = EXCLUDED.label_type, created_at = EXCLUDED.created_at`;

interface LabelRow {
  contract_id: string;
  timeframe: string;
  timestamp: Date;
  label_type: TrendLabelType;
  author: string;
  created_at: Date;
}

function usageError(io: LabelsCommandIo, message: string): number {
  return writeUsageError(io.stderr, message, LABELS_USAGE);
}

export async function runLabelsCommand(argv: readonly string[], io: LabelsCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = readLabelsFlags(argv);
  } catch (err) {
    return usageError(io, (err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${LABELS_USAGE}\n`);
    return 0;
  }
  const action = positionals[0];
  if (positionals.length !== 1 || (action !== 'export' && action !== 'import')) return usageError(io, 'say labels export or labels import');
  let timeframe: string | undefined;
  try {
    timeframe = values.timeframe === undefined ? undefined : formatTimeframe(parseTimeframe(values.timeframe, '--timeframe'));
  } catch (err) {
    return usageError(io, (err as Error).message);
  }
  if (action === 'export') {
    const missing = (['contract', 'timeframe'] as const).filter((k) => !values[k]);
    if (missing.length > 0) return usageError(io, `missing ${missing.map((k) => `--${k}`).join(', ')}`);
    const pool = await io.pool();
    const { rows } = await pool.query<LabelRow>(LIST_SQL, [values.contract, timeframe, values.author ?? null]);
    const csv = formatTrendLabelCsv(
      rows.map((r) => ({
        contractId: r.contract_id,
        timeframe: r.timeframe,
        time: r.timestamp.getTime(),
        labelType: r.label_type,
        author: r.author,
        createdAt: r.created_at.getTime(),
      })),
    );
    if (values.file === undefined) io.stdout.write(csv);
    else {
      writeFileSync(values.file, csv);
      io.stdout.write(`exported ${rows.length} labels to ${values.file}\n`);
    }
    return 0;
  }
  if (values.file === undefined) return usageError(io, 'missing --file');
  if (values.author !== undefined) return usageError(io, '--author is for export; an imported row carries its author');
  let text: string;
  try {
    text = readFileSync(values.file, 'utf8');
  } catch (err) {
    io.stderr.write(`cannot read ${values.file}: ${(err as Error).message}\n`);
    return 1;
  }
  const { rows, errors } = parseTrendLabelCsv(text);
  const wrong = (r: ReadTrendLabel) =>
    (values.contract !== undefined && r.contractId !== values.contract) || (timeframe !== undefined && r.timeframe !== timeframe);
  for (const r of rows.filter(wrong))
    errors.push({ line: r.line, reason: `contract_id/timeframe: ${r.contractId} ${r.timeframe} is not the --contract/--timeframe given` });
  errors.sort((a, b) => a.line - b.line);
  if (errors.length > 0) {
    io.stderr.write(
      `${values.file}: nothing imported; fix these rows:\n${errors.map((e) => `  line ${e.line}: ${e.reason}`).join('\n')}\n`,
    );
    return 1;
  }
  const pool = await io.pool();
  await pool.query(IMPORT_SQL, [
    rows.map((r) => r.contractId),
    rows.map((r) => r.timeframe),
    rows.map((r) => new Date(r.time)),
    rows.map((r) => r.labelType),
    rows.map((r) => r.author),
    rows.map((r) => (r.createdAt === null ? null : new Date(r.createdAt))),
  ]);
  io.stdout.write(`imported ${rows.length} labels from ${values.file}\n`);
  return 0;
}
