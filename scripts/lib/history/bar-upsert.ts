// The write for bars that may meet stored ones: a binary COPY into a temporary table, then one upsert
// statement per series into ohlc_bars that tells inserted rows from updated ones and leaves identical
// ones alone. Each statement names its contract, timeframe and time range as literals: TimescaleDB
// decides which chunks and compressed batches a statement touches from constant bounds only (a join
// against the temporary table gave it none, and one changed bar decompressed every compressed chunk).
import type { PoolClient } from '@barstream/core/node';
import type { BarColumns, BarSeries } from './bar-columns.ts';
import { BAR_COPY_COLUMNS, BarCopyEncoder } from './bar-copy-encoder.ts';
import { CopyIn } from './copy-in.ts';

/** What the upsert did to one series (by its index in BarColumns.series). */
export interface WrittenSeries {
  readonly inserted: number;
  readonly updated: number;
  /** Epoch ms of the earliest and latest bar written. */
  readonly changedFrom: number;
  readonly changedTo: number;
}

const TEMP_TABLE = 'barstream_bar_import';
/** About a megabyte of COPY input (bars encode to ~110 bytes). */
const ROWS_PER_WRITE = 8_192;

// The columns of BAR_COPY_COLUMNS, so the encoder that feeds ohlc_bars feeds this table too.
const CREATE_TEMP = `CREATE TEMP TABLE ${TEMP_TABLE} (
  contract_id text NOT NULL, "timestamp" timestamptz NOT NULL, open float8 NOT NULL, high float8 NOT NULL, low float8 NOT NULL,
  close float8 NOT NULL, volume float8 NOT NULL, timeframe_unit int2 NOT NULL, timeframe_value int4 NOT NULL, timeframe text NOT NULL,
  is_closed bool NOT NULL
) ON COMMIT DROP`;

const COPY_TEMP = `COPY ${TEMP_TABLE} (${BAR_COPY_COLUMNS}) FROM STDIN (FORMAT binary)`;

const COLUMNS = `contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed, updated_at`;
const VALUES =
  'x.contract_id, x."timestamp", x.open, x.high, x.low, x.close, x.volume, x.timeframe_unit, x.timeframe_value, x.timeframe, true, now()';

/** A timestamptz literal of epoch ms `ms` (whole milliseconds: ISO 8601 holds them exactly). */
function timeLiteral(ms: number): string {
  if (!Number.isSafeInteger(ms)) throw new RangeError(`bar time ${ms} is not a whole millisecond`);
  return `timestamptz '${new Date(ms).toISOString()}'`;
}

/**
 * The upsert of one series' rows of the temporary table, bars from `from` to `to` (epoch ms).
 * INSERT … ON CONFLICT DO UPDATE rather than UPDATE … FROM plus INSERT: on a hypertable UPDATE …
 * RETURNING was 8–14× slower (growing with the chunk count) while INSERT … ON CONFLICT … RETURNING was
 * not. The DO UPDATE's WHERE leaves identical rows alone (not returned, so counted unchanged), and
 * `xmax = 0` tells an inserted row from an updated one. Rows reach this statement only when they
 * differ from what was stored (barsToWrite), so ON CONFLICT rarely locks a row it then leaves alone.
 */
export function upsertStatement(escapeLiteral: (s: string) => string, series: BarSeries, from: number, to: number): string {
  if (!Number.isInteger(series.unit) || !Number.isInteger(series.value))
    throw new RangeError(`timeframe ${series.unit}/${series.value} is not whole`);
  return `
WITH written AS (
  INSERT INTO ohlc_bars AS b (${COLUMNS})
  SELECT ${VALUES} FROM ${TEMP_TABLE} x
   WHERE x.contract_id = ${escapeLiteral(series.contractId)} AND x.timeframe_unit = ${series.unit} AND x.timeframe_value = ${series.value}
     AND x."timestamp" BETWEEN ${timeLiteral(from)} AND ${timeLiteral(to)}
  ON CONFLICT (contract_id, timeframe_unit, timeframe_value, "timestamp") DO UPDATE SET
    open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
    volume = EXCLUDED.volume, is_closed = true, updated_at = now()
  WHERE (b.open, b.high, b.low, b.close, b.volume, b.is_closed)
        IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.volume, true)
  RETURNING b."timestamp", b.xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated,
       (extract(epoch FROM min("timestamp")) * 1000)::float8 AS changed_from,
       (extract(epoch FROM max("timestamp")) * 1000)::float8 AS changed_to
  FROM written`;
}

interface WrittenRow {
  inserted: number;
  updated: number;
  changed_from: number | null;
  changed_to: number | null;
}

/** Upserts rows `rows` of `cols` (no two for one bar) and returns what it did per series that changed. */
export async function upsertFromTemp(client: PoolClient, cols: BarColumns, rows: Int32Array): Promise<Map<number, WrittenSeries>> {
  await client.query(CREATE_TEMP);
  const encoder = new BarCopyEncoder(cols);
  const copy = new CopyIn(client, COPY_TEMP);
  encoder.header();
  // A piece at a time, so the server stores one while the next is encoded.
  for (let k = 0; k < rows.length; k += ROWS_PER_WRITE) {
    encoder.selected(rows.subarray(k, k + ROWS_PER_WRITE));
    await copy.write(encoder.take());
  }
  encoder.trailer();
  await copy.write(encoder.take());
  await copy.end();
  const result = new Map<number, WrittenSeries>();
  for (const [k, span] of seriesSpans(cols, rows)) {
    const sql = upsertStatement((s) => client.escapeLiteral(s), cols.series[k] as BarSeries, span.from, span.to);
    const r = (await client.query<WrittenRow>(sql)).rows[0];
    if (r && r.inserted + r.updated > 0 && r.changed_from !== null && r.changed_to !== null) {
      result.set(k, { inserted: r.inserted, updated: r.updated, changedFrom: r.changed_from, changedTo: r.changed_to });
    }
  }
  // Dropped now rather than at commit, so one transaction may write again.
  await client.query(`DROP TABLE ${TEMP_TABLE}`);
  return result;
}

/** Per series of `rows`, the earliest and latest bar time. */
function seriesSpans(cols: BarColumns, rows: Int32Array): Map<number, { from: number; to: number }> {
  const spans = new Map<number, { from: number; to: number }>();
  for (const i of rows) {
    const k = cols.seriesOf[i] as number;
    const t = cols.time[i] as number;
    const span = spans.get(k);
    if (!span) spans.set(k, { from: t, to: t });
    else if (t < span.from) span.from = t;
    else if (t > span.to) span.to = t;
  }
  return spans;
}
