// Exports detected_signals of one contract (optionally one timeframe and analyzer, a range of signal
// times) as CSV through core's signal layout, a page at a time so a long history never sits in memory.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { formatSignalCsvRows, type Pool, signalCsvHeader, type SignalCsvRow } from '@barstream/core/node';

export interface SignalExportQuery {
  readonly contractId: string;
  /** A timeframe label as stored ('5m'); all timeframes when absent. */
  readonly timeframe?: string;
  readonly analyzerId?: string;
  /** Signal times (their bar's label) in [from, to), epoch ms; open-ended when absent. */
  readonly from?: number;
  readonly to?: number;
}

/** Rows per query: large enough to amortise a round trip, small enough to stay out of the way. */
const PAGE_ROWS = 5_000;

interface SignalRow {
  signal_id: number;
  analyzer_id: string;
  contract_id: string;
  timeframe: string;
  time: number;
  trigger_time: number;
  signal_type: string;
  signal_price: number | null;
  signal_open: number | null;
  signal_high: number | null;
  signal_low: number | null;
  signal_close: number | null;
  signal_volume: number | null;
  details: unknown;
  /** The timestamp as PostgreSQL prints it: the exact key of the next page. */
  page_key: string;
}

/** Writes the CSV (header included) to `out` in signal-time order and returns the number of signals. */
export async function exportSignals(pool: Pool, query: SignalExportQuery, out: Writable, pageRows = PAGE_ROWS): Promise<number> {
  if (!Number.isSafeInteger(pageRows) || pageRows < 1) throw new RangeError(`pageRows ${pageRows} is not a positive integer`);
  await write(out, signalCsvHeader());
  let count = 0;
  let after: { key: string; id: number } | undefined;
  for (;;) {
    const { rows } = await pool.query<SignalRow>(
      `SELECT signal_id, analyzer_id, contract_id, timeframe,
              floor(extract(epoch FROM "timestamp") * 1000)::float8 AS time,
              floor(extract(epoch FROM trigger_timestamp) * 1000)::float8 AS trigger_time,
              signal_type, signal_price, signal_open, signal_high, signal_low, signal_close, signal_volume, details,
              "timestamp"::text AS page_key
         FROM detected_signals
        WHERE contract_id = $1 AND ($2::text IS NULL OR timeframe = $2) AND ($3::text IS NULL OR analyzer_id = $3)
          AND ($4::float8 IS NULL OR "timestamp" >= to_timestamp($4::float8 / 1000))
          AND ($5::float8 IS NULL OR "timestamp" < to_timestamp($5::float8 / 1000))
          AND ($6::timestamptz IS NULL OR ("timestamp", signal_id) > ($6::timestamptz, $7::int))
        ORDER BY "timestamp", signal_id
        LIMIT ${pageRows}`,
      [
        query.contractId,
        query.timeframe ?? null,
        query.analyzerId ?? null,
        query.from ?? null,
        query.to ?? null,
        after?.key ?? null,
        after?.id ?? null,
      ],
    );
    if (rows.length === 0) return count;
    await write(out, formatSignalCsvRows(rows.map(toCsvRow)));
    count += rows.length;
    const last = rows[rows.length - 1] as SignalRow;
    after = { key: last.page_key, id: last.signal_id };
    if (rows.length < pageRows) return count;
  }
}

function toCsvRow(r: SignalRow): SignalCsvRow {
  return {
    signalId: r.signal_id,
    analyzerId: r.analyzer_id,
    contractId: r.contract_id,
    timeframe: r.timeframe,
    time: r.time,
    triggerTime: r.trigger_time,
    signalType: r.signal_type,
    price: r.signal_price,
    open: r.signal_open,
    high: r.signal_high,
    low: r.signal_low,
    close: r.signal_close,
    volume: r.signal_volume,
    details: r.details,
  };
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}
