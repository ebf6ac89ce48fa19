// Writes one flush in one transaction: bars upserted, ticks inserted, NOTIFYs sent, all or nothing.
import { barKey, channels, type ContractBar, isoWithMicros, TickPayloadBuilder, toOhlcMessage, type Trade } from '@barstream/core';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inTransaction, notifyAll, type Pool } from '@barstream/core/node';
import { from as copyFrom } from 'pg-copy-streams';
import { barUpsertColumns } from './bar-upsert-columns.ts';
import { checkFence, type FenceClaim } from './fence-check.ts';
import { type TickBatch, tickBatchOf } from './tick-batch.ts';
import { COPY_TICKS_BINARY, tickCopyChunks } from './tick-copy.ts';
import { ONE_STATEMENT_MAX_TICKS, writeTicksInOneStatement } from './tick-flush-statement.ts';

export interface FlushResult {
  readonly bars: number;
  readonly ticks: number;
  readonly notifies: number;
}

// Forming rows never overwrite a closed row: a closed bar is final for the live path. The parameters are
// binary arrays (bar-upsert-columns.ts). date_part, not extract: a float8, where extract computes a numeric;
// a bar opens on a whole second, so its epoch milliseconds are exact.
const UPSERT_BARS = `
INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume,
                       timeframe_unit, timeframe_value, timeframe, is_closed, updated_at)
SELECT * , now() FROM unnest($1::text[], $2::timestamptz[], $3::float8[], $4::float8[], $5::float8[],
                      $6::float8[], $7::float8[], $8::int2[], $9::int4[], $10::text[], $11::bool[])
ON CONFLICT (contract_id, timeframe_unit, timeframe_value, "timestamp") DO UPDATE SET
  open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
  volume = EXCLUDED.volume, is_closed = EXCLUDED.is_closed, updated_at = now()
WHERE NOT ohlc_bars.is_closed
RETURNING contract_id, timeframe_unit, timeframe_value, date_part('epoch', "timestamp") * 1000 AS time`;

/** A flush's tick payloads, one binary text[] parameter (TickPayloadBuilder.finishTextArray), NOTIFYed
 * in the array's order (a function scan returns its rows in order). */
const NOTIFY_TICK_ARRAY = 'SELECT count(pg_notify($1, payload))::int AS sent FROM unnest($2::text[]) AS payload';

/** Latest quote per contract since the last flush: relayed on the tick channel, never stored. */
export interface QuoteUpdate {
  readonly contractId: string;
  readonly time: number;
  readonly lastPrice?: number;
  readonly bestBid?: number;
  readonly bestAsk?: number;
}

/** A flush that overlaps the one before it (see writeFlush). */
export interface FlushOrder {
  /** Settles true when the flush before this one committed, false when it failed. */
  readonly after?: Promise<boolean>;
  /** Called once this flush's ticks are on their way in (their COPY data all handed over, or its one
   * statement sent): the next flush may take its batch and start. */
  readonly onWriting?: () => void;
  /** Settles when the flush before this one has its ticks in (its COPY complete) or ended: this one's
   * COPY starts then, so two COPYs into ticks never run at once, and this one's data is ready by then. */
  readonly turn?: Promise<unknown>;
  /** Called once this flush's ticks are in (its COPY complete): the next flush's COPY may start. */
  readonly onRowsIn?: () => void;
  /** The lease units this flush writes and their epochs, checked in its transaction (fence-check.ts). */
  readonly fence?: FenceClaim;
}

/** Thrown by a flush whose predecessor failed: it is rolled back so that flushes commit in order. */
export class FlushOrderError extends Error {
  readonly code = 'FLUSH_ORDER';
  constructor() {
    super('the flush before this one failed; rolled back to keep flushes in order');
  }
}

async function committedBefore(order: FlushOrder): Promise<void> {
  if (order.after && !(await order.after)) throw new FlushOrderError();
}

/** With `order.after`, the ticks are COPYed on `order.turn` (on this flush's own connection, while the
 * flush before commits), but bars, NOTIFYs and COMMIT wait for that flush: flushes commit in the order they
 * were taken, so NOTIFYs arrive in order and a bar's newer state is never overwritten by an older
 * one. If the flush before failed, this one rolls back too (the caller requeues both, in order). */
export async function writeFlush(
  pool: Pool,
  bars: readonly ContractBar[],
  tickInput: TickBatch | readonly Trade[],
  quotes: readonly QuoteUpdate[] = [],
  order: FlushOrder = {},
): Promise<FlushResult> {
  const trades = isTickBatch(tickInput) ? tickInput : tickBatchOf(tickInput);
  if (bars.length === 0 && trades.length === 0 && quotes.length === 0) {
    await committedBefore(order);
    return { bars: 0, ticks: 0, notifies: 0 };
  }
  if (bars.length === 0 && quotes.length === 0 && trades.length <= ONE_STATEMENT_MAX_TICKS) {
    // One autocommit statement cannot wait inside its transaction: it waits before it starts.
    await committedBefore(order);
    const written = writeTicksInOneStatement(pool, trades, order.fence);
    order.onWriting?.();
    order.onRowsIn?.();
    return { bars: 0, ticks: trades.length, notifies: await written };
  }
  // COPY is the cheapest way in for many rows. Its data (and the NOTIFY payloads, in the same pass) is
  // encoded before the transaction starts, while the flush before still COPYs: when its turn comes, all of
  // it goes at once, and PostgreSQL never waits on Node for the next chunk.
  const builder = trades.length > 0 ? new TickPayloadBuilder(undefined, true) : undefined;
  const chunks = builder ? [...tickCopyChunks(trades, builder)] : [];
  return inTransaction(pool, async (client) => {
    if (order.fence) await checkFence(client, order.fence);
    let notifies = 0;
    let tickPayloads: { readonly count: number; readonly array: Buffer } | undefined;
    if (builder) {
      await order.turn;
      const source = Readable.from(chunks);
      source.once('end', () => order.onWriting?.());
      await pipeline(source, client.query(copyFrom(COPY_TICKS_BINARY)));
      tickPayloads = builder.finishTextArray();
    } else order.onWriting?.();
    order.onRowsIn?.();
    await committedBefore(order);
    if (quotes.length > 0) {
      await notifyAll(
        client,
        'tickData',
        quotes.map((q) =>
          JSON.stringify({
            type: 'ticks',
            contract_id: q.contractId,
            ticks: [],
            quotes: [{ timestamp: isoWithMicros(q.time), last_price: q.lastPrice, best_bid: q.bestBid, best_ask: q.bestAsk }],
          }),
        ),
      );
      notifies += quotes.length;
    }
    let barsWritten = 0;
    if (bars.length > 0) {
      // Named: each pool connection parses and plans it once.
      const { rows } = await client.query<{ contract_id: string; timeframe_unit: number; timeframe_value: number; time: number }>({
        name: 'ingester-upsert-bars',
        text: UPSERT_BARS,
        values: barUpsertColumns(bars),
      });
      // Only rows that changed are announced: a bar already closed in the table is not reopened.
      const written = new Set(rows.map((r) => barKey(r.contract_id, r.timeframe_unit, r.timeframe_value, r.time)));
      const payloads = bars
        .filter((b) => written.has(barKey(b.contractId, b.unit, b.value, b.time)))
        .map((b) => JSON.stringify(toOhlcMessage(b)));
      await notifyAll(client, 'ohlcUpdate', payloads);
      notifies += payloads.length;
      barsWritten = rows.length;
    }
    if (tickPayloads && tickPayloads.count > 0) {
      const { rows } = await client.query<{ sent: number }>({
        name: 'ingester-notify-tick-array',
        text: NOTIFY_TICK_ARRAY,
        values: [channels.tickData.name, tickPayloads.array],
      });
      if (rows[0]?.sent !== tickPayloads.count) throw new Error(`tick NOTIFY sent ${rows[0]?.sent ?? 0} of ${tickPayloads.count} payloads`);
      notifies += tickPayloads.count;
    }
    return { bars: barsWritten, ticks: trades.length, notifies };
  });
}

function isTickBatch(ticks: TickBatch | readonly Trade[]): ticks is TickBatch {
  return !Array.isArray(ticks);
}
