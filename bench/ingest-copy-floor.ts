// The physical floor beside bench:ingest's throughput: the same ticks COPYed into the same `ticks`
// table from one connection, as text the ingester would send. The text is built before the clock
// starts, so the figure is what PostgreSQL (and the socket) accept, with no aggregation, bars or NOTIFY.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { isoWithMicros, type Trade } from '../core/src/index.ts';
import { copyText } from '../core/src/node/copy-format.ts';

const CHUNK = 2_000;

/** Ticks per second COPY stores, on the ticks the caller passes. */
export async function copyFloor(url: string, trades: readonly Trade[]): Promise<number> {
  const chunks: string[] = [];
  for (let start = 0; start < trades.length; start += CHUNK) {
    let text = '';
    for (const t of trades.slice(start, start + CHUNK)) {
      text += `${copyText(t.contractId)}\t${isoWithMicros(t.time)}\t${t.price}\t${t.volume}\t${t.side}\t\\N\n`;
    }
    chunks.push(text);
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    await pipeline(
      Readable.from(chunks),
      client.query(copyFrom('COPY ticks (contract_id, "timestamp", price, volume, side, trade_id) FROM STDIN')),
    );
    return trades.length / ((performance.now() - started) / 1000);
  } finally {
    await client.end();
  }
}
