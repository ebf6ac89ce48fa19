// Loads many closed bars into ohlc_bars quickly (COPY) to set a benchmark up; not what is measured.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { OhlcBar } from '../../core/src/index.ts';

export async function copyBars(
  url: string,
  contractId: string,
  bars: readonly OhlcBar[],
  tf: { unit: number; value: number; label: string },
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  function* rows(): Generator<string> {
    for (let i = 0; i < bars.length; i += 10_000) {
      yield bars
        .slice(i, i + 10_000)
        .map(
          (b) =>
            `${contractId}\t${new Date(b.time).toISOString()}\t${b.open}\t${b.high}\t${b.low}\t${b.close}\t${b.volume}\t${tf.unit}\t${tf.value}\t${tf.label}\tt\n`,
        )
        .join('');
    }
  }
  await pipeline(
    Readable.from(rows()),
    client.query(
      copyFrom(
        'COPY ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed) FROM STDIN',
      ),
    ),
  );
  await client.end();
}
