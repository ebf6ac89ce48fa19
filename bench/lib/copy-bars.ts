// Loads many closed bars into ohlc_bars quickly (COPY, text format): to set a benchmark up, and as
// bench:import's floor (the rows built beforehand, only the COPY timed).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { OhlcBar } from '../../core/src/index.ts';

export interface CopyTimeframe {
  unit: number;
  value: number;
  label: string;
}

const COPY_BARS =
  'COPY ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed) FROM STDIN';

/** The bars as COPY text, 10,000 rows a chunk. */
export function barCopyChunks(contractId: string, bars: readonly OhlcBar[], tf: CopyTimeframe): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < bars.length; i += 10_000) {
    chunks.push(
      bars
        .slice(i, i + 10_000)
        .map(
          (b) =>
            `${contractId}\t${new Date(b.time).toISOString()}\t${b.open}\t${b.high}\t${b.low}\t${b.close}\t${b.volume}\t${tf.unit}\t${tf.value}\t${tf.label}\tt\n`,
        )
        .join(''),
    );
  }
  return chunks;
}

/** COPYs prepared chunks through a connected client. */
export async function copyBarChunks(client: pg.Client, chunks: readonly string[]): Promise<void> {
  await pipeline(Readable.from(chunks), client.query(copyFrom(COPY_BARS)));
}

export async function copyBars(url: string, contractId: string, bars: readonly OhlcBar[], tf: CopyTimeframe): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await copyBarChunks(client, barCopyChunks(contractId, bars, tf));
  await client.end();
}
