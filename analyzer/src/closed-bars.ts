// Reads a target's closed bars in time order, in pages, and checks each before a strategy sees it.
import type { BarColumns, OhlcBar } from '@barstream/core';
import { copyBarColumnsBinary, copyBarsBinary, type Pool, type PoolClient, withClient } from '@barstream/core/node';
import type { AnalysisUnit } from './targets.ts';

export const PAGE_SIZE = 100_000;

/** Closed bars strictly after `afterMs` (all when undefined) and at most `untilMs`, ascending.
 * Read with binary COPY: parsing text rows costs more than everything else in a backfill. */
export function closedBarsAfter(
  pool: Pool,
  unit: Pick<AnalysisUnit, 'contractId' | 'timeframe'>,
  afterMs: number | undefined,
  limit = PAGE_SIZE,
  untilMs?: number,
): Promise<OhlcBar[]> {
  return withClient(pool, (client) => copyBarsBinary(client, closedBarsQuery(client, unit, afterMs, limit, untilMs)));
}

/** The same bars as columns: a backfill's page holds no object per bar. A page of 100,000 bar objects
 * outlives the young generation while it waits to be fed (the next page is read during the computation),
 * so every bar and its five boxed numbers were copied and marked by the garbage collector; a bar object
 * made as it is fed dies young. */
export function closedBarColumnsAfter(
  pool: Pool,
  unit: Pick<AnalysisUnit, 'contractId' | 'timeframe'>,
  afterMs: number | undefined,
  limit = PAGE_SIZE,
  untilMs?: number,
): Promise<BarColumns> {
  return withClient(pool, (client) => copyBarColumnsBinary(client, closedBarsQuery(client, unit, afterMs, limit, untilMs)));
}

function closedBarsQuery(
  client: PoolClient,
  unit: Pick<AnalysisUnit, 'contractId' | 'timeframe'>,
  afterMs: number | undefined,
  limit: number,
  untilMs: number | undefined,
): string {
  // COPY takes no bind parameters: the one text value is escaped, the numbers are checked.
  const numbers = [unit.timeframe.unit, unit.timeframe.value, limit, afterMs ?? 0, untilMs ?? 0];
  if (!numbers.every(Number.isFinite)) throw new RangeError('closedBarsAfter: non-finite bound');
  const after = afterMs === undefined ? '' : ` AND "timestamp" > to_timestamp(${afterMs} / 1000.0)`;
  const until = untilMs === undefined ? '' : ` AND "timestamp" <= to_timestamp(${untilMs} / 1000.0)`;
  return `SELECT "timestamp", open, high, low, close, volume
      FROM ohlc_bars WHERE contract_id = ${client.escapeLiteral(unit.contractId)} AND timeframe_unit = ${unit.timeframe.unit}
       AND timeframe_value = ${unit.timeframe.value} AND is_closed${after}${until} ORDER BY "timestamp" LIMIT ${Math.trunc(limit)}`;
}

/** Why a bar must not reach a strategy, or undefined when it is sound. */
export function badBarReason(bar: OhlcBar, previousTime: number | undefined): string | undefined {
  // Field by field, not a loop over their names: this runs for every bar of a backfill, and a keyed
  // read in a loop over a fresh array cost a tenth of the backfill's CPU.
  if (!Number.isFinite(bar.open)) return notFinite('open');
  if (!Number.isFinite(bar.high)) return notFinite('high');
  if (!Number.isFinite(bar.low)) return notFinite('low');
  if (!Number.isFinite(bar.close)) return notFinite('close');
  if (!Number.isFinite(bar.volume)) return notFinite('volume');
  if (bar.high < bar.low) return `high ${bar.high} is below low ${bar.low}`;
  if (bar.high < Math.max(bar.open, bar.close) || bar.low > Math.min(bar.open, bar.close)) return 'open/close outside high-low range';
  if (previousTime !== undefined && bar.time <= previousTime)
    return `out of order: ${new Date(bar.time).toISOString()} is not after ${new Date(previousTime).toISOString()}`;
  return undefined;
}

const notFinite = (field: string): string => `${field} is not a finite number`;
