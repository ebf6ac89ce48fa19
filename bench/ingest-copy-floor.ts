// The physical floor beside bench:ingest's throughput: the same ticks COPYed into the same `ticks`
// table from one connection, in the binary format the ingester sends (ingester/src/tick-copy.ts),
// or as text (the floor of sessions up to 7, when the ingester sent text). The input is built before
// the clock starts, so the figure is what PostgreSQL (and the socket) accept, with no aggregation,
// bars or NOTIFY. With warm-up ticks, those are COPYed first on the same connection, unmeasured: the
// window then COPYs into a table as large as the warm pipeline's (bench/ingest-warmup.ts).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { isoWithMicros, TickPayloadBuilder, type Trade } from '../core/src/index.ts';
import { copyText } from '../core/src/node/copy-format.ts';
import { tickBatchOf } from '../ingester/src/tick-batch.ts';
import { COPY_TICKS_BINARY, tickCopyChunks } from '../ingester/src/tick-copy.ts';

const CHUNK = 2_000;

export type CopyFloorFormat = 'binary' | 'text';

function textChunks(trades: readonly Trade[]): string[] {
  const chunks: string[] = [];
  for (let start = 0; start < trades.length; start += CHUNK) {
    let text = '';
    for (const t of trades.slice(start, start + CHUNK)) {
      text += `${copyText(t.contractId)}\t${isoWithMicros(t.time)}\t${t.price}\t${t.volume}\t${t.side}\t\\N\n`;
    }
    chunks.push(text);
  }
  return chunks;
}

function chunksOf(trades: readonly Trade[], format: CopyFloorFormat): (string | Buffer)[] {
  return format === 'binary' ? [...tickCopyChunks(tickBatchOf(trades), new TickPayloadBuilder())] : textChunks(trades);
}

/** Around the measured COPY alone (e.g. a read of the database server's CPU before and after). */
export interface CopyWindow {
  start(): void;
  end(): void;
}

/** Ticks per second COPY stores, on the ticks the caller passes, after `warmup` ticks COPYed unmeasured. */
export async function copyFloor(
  url: string,
  trades: readonly Trade[],
  format: CopyFloorFormat = 'binary',
  warmup: readonly Trade[] = [],
  window?: CopyWindow,
): Promise<number> {
  const chunks = chunksOf(trades, format);
  const sql = format === 'binary' ? COPY_TICKS_BINARY : 'COPY ticks (contract_id, "timestamp", price, volume, side, trade_id) FROM STDIN';
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    if (warmup.length > 0) await pipeline(Readable.from(chunksOf(warmup, format)), client.query(copyFrom(sql)));
    window?.start();
    const started = performance.now();
    await pipeline(Readable.from(chunks), client.query(copyFrom(sql)));
    const seconds = (performance.now() - started) / 1000;
    window?.end();
    return trades.length / seconds;
  } finally {
    await client.end();
  }
}
