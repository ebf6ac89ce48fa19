// Gaps: bars the trading hours expect that ohlc_bars does not hold, merged into ranges for the summary.
import { DAY_MS, type Timeframe } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import type { Chunk } from './download-plan.ts';
import type { TradingHours } from './trading-hours.ts';

/** Consecutive expected bars that are missing: labels of the first and last of them. */
export interface GapRange {
  readonly first: number;
  readonly last: number;
  readonly bars: number;
}

export interface GapReport {
  readonly expected: number;
  readonly missing: number;
  /** How many separate ranges the missing bars form. */
  readonly rangeCount: number;
  /** The earliest ranges, at most `listed` of them. */
  readonly ranges: readonly GapRange[];
}

const DEFAULT_LISTED = 5;
/** Stored labels are read this many chunks at a time, so years of 1-minute bars never sit in memory at once. */
const CHUNKS_PER_QUERY = 64;

const STORED_LABELS = `
SELECT (extract(epoch FROM "timestamp") * 1000)::float8 AS t FROM ohlc_bars
 WHERE contract_id = $1 AND timeframe_unit = $2 AND timeframe_value = $3 AND is_closed
   AND "timestamp" >= timestamptz 'epoch' + $4::float8 * interval '1 millisecond'
   AND "timestamp" < timestamptz 'epoch' + $5::float8 * interval '1 millisecond'`;

/** Walks the sessions of `chunks` (only those already over at `now`) against the stored bars. */
export async function findGaps(
  pool: Pool,
  contractId: string,
  tf: Timeframe,
  hours: TradingHours,
  chunks: readonly Chunk[],
  now: number,
  listed = DEFAULT_LISTED,
): Promise<GapReport> {
  const final = chunks.filter((c) => c.closesAt <= now && c.expected > 0);
  let expected = 0;
  let missing = 0;
  let rangeCount = 0;
  const ranges: GapRange[] = [];
  let current: { first: number; last: number; bars: number } | undefined;
  const endRange = (): void => {
    if (!current) return;
    rangeCount++;
    if (ranges.length < listed) ranges.push(current);
    current = undefined;
  };
  for (let start = 0; start < final.length; start += CHUNKS_PER_QUERY) {
    const batch = final.slice(start, start + CHUNKS_PER_QUERY);
    const first = batch[0] as Chunk;
    const last = batch[batch.length - 1] as Chunk;
    const { rows } = await pool.query<{ t: number }>(STORED_LABELS, [contractId, tf.unit, tf.value, first.from, last.to]);
    const stored = new Set(rows.map((r) => r.t));
    // Ranges are runs in the expected sequence: a weekend between two missing sessions does not split one.
    for (const chunk of batch) {
      for (const label of expectedLabels(hours, tf, chunk)) {
        expected++;
        if (stored.has(label)) {
          endRange();
          continue;
        }
        missing++;
        if (current) {
          current.last = label;
          current.bars++;
        } else {
          current = { first: label, last: label, bars: 1 };
        }
      }
    }
  }
  endRange();
  return { expected, missing, rangeCount, ranges };
}

/** Labels of the bars a chunk should hold, ascending and distinct, inside the chunk's label range. */
export function expectedLabels(hours: TradingHours, tf: Timeframe, chunk: Chunk): number[] {
  const labels: number[] = [];
  for (let date = chunk.firstDate; date < chunk.endDate; date += DAY_MS) {
    const session = hours.session(date);
    if (!session) continue;
    for (const label of hours.sessionLabels(session, tf)) {
      if (label >= chunk.from && label < chunk.to && label !== labels[labels.length - 1]) labels.push(label);
    }
  }
  return labels;
}
