// Exports closed bars of one contract/timeframe as CSV in the origin's layout (what import reads back),
// streamed by PostgreSQL's COPY so a year of 1-minute bars never sits in memory. COPY's CSV quotes a
// field as RFC 4180 asks (a contract id with a comma, say), which import reads on its general path.
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Timeframe } from '@barstream/core';
import { BAR_CSV_COLUMNS, formatCsvRecords, type Pool } from '@barstream/core/node';
import { to as copyTo } from 'pg-copy-streams';

export interface ExportQuery {
  readonly contractId: string;
  readonly timeframe: Timeframe;
  /** Bar labels in [from, to), epoch ms; open-ended when absent. */
  readonly from?: number;
  readonly to?: number;
}

/**
 * Writes the CSV (header included) to `out` and returns the number of bars. Timestamps are UTC like
 * '2025-03-16 22:00:00+00:00' (microseconds only when a bar has them); float8 prints its shortest exact
 * form, so values survive the round trip bit for bit.
 */
export async function exportBars(pool: Pool, query: ExportQuery, out: Writable): Promise<number> {
  const client = await pool.connect();
  try {
    // COPY takes no bind parameters: the one text value is quoted by the driver, the numbers are checked.
    const bounds = [
      query.from === undefined ? '' : ` AND "timestamp" >= ${instant(query.from)}`,
      query.to === undefined ? '' : ` AND "timestamp" < ${instant(query.to)}`,
    ].join('');
    const utc = `("timestamp" AT TIME ZONE 'UTC')`;
    const sql = `COPY (
      SELECT contract_id,
             to_char(${utc}, 'YYYY-MM-DD HH24:MI:SS')
               || CASE WHEN extract(microseconds FROM ${utc})::int % 1000000 = 0 THEN '' ELSE to_char(${utc}, '.US') END || '+00:00',
             open, high, low, close, volume, timeframe_unit, timeframe_value
        FROM ohlc_bars
       WHERE contract_id = ${client.escapeLiteral(query.contractId)} AND timeframe_unit = ${integer(query.timeframe.unit)}
         AND timeframe_value = ${integer(query.timeframe.value)} AND is_closed${bounds}
       ORDER BY "timestamp"
    ) TO STDOUT WITH (FORMAT csv)`;
    out.write(formatCsvRecords([BAR_CSV_COLUMNS]));
    const stream = client.query(copyTo(sql));
    await pipeline(stream, out, { end: false });
    return stream.rowCount;
  } finally {
    client.release();
  }
}

function integer(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${n} is not an integer`);
  return String(n);
}

function instant(ms: number): string {
  return `(timestamptz 'epoch' + ${integer(ms)} * interval '1 millisecond')`;
}
