// bench:ingest's baseline, the per-tick design the ingester replaced: one transaction per trade that
// stores the tick, upserts its bar in every configured timeframe and NOTIFYs it, committed before the
// next trade. Measured in the same run as the pipeline, with synchronous_commit on and off.
import pg from 'pg';
import { channels, formatTimeframe, type SessionCalendar, type Timeframe, type Trade } from '../core/src/index.ts';

function upsertSql(timeframes: number): string {
  const rows = Array.from({ length: timeframes }, (_, i) => {
    const p = 4 + i * 4;
    return `($1, $${p}::timestamptz, $2, $2, $2, $2, $3, $${p + 1}::int2, $${p + 2}::int4, $${p + 3}, false, now())`;
  });
  return `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed, updated_at)
    VALUES ${rows.join(', ')}
    ON CONFLICT (contract_id, timeframe_unit, timeframe_value, "timestamp") DO UPDATE SET
      high = GREATEST(ohlc_bars.high, EXCLUDED.high), low = LEAST(ohlc_bars.low, EXCLUDED.low),
      close = EXCLUDED.close, volume = ohlc_bars.volume + EXCLUDED.volume, updated_at = now()`;
}

/** Ticks per second of the per-tick design over `trades`. */
export async function perTickDesign(
  url: string,
  trades: readonly Trade[],
  timeframes: readonly Timeframe[],
  calendar: SessionCalendar,
  synchronousCommit: boolean,
): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const upsert = upsertSql(timeframes.length);
  const labels = timeframes.map((tf) => formatTimeframe(tf));
  try {
    await client.query(`SET synchronous_commit = ${synchronousCommit ? 'on' : 'off'}`);
    const started = performance.now();
    for (const t of trades) {
      const time = new Date(t.time).toISOString();
      const bars = timeframes.flatMap((tf, i) => [new Date(calendar.bucket(t.time, tf).time).toISOString(), tf.unit, tf.value, labels[i]]);
      await client.query('BEGIN');
      await client.query('INSERT INTO ticks (contract_id, "timestamp", price, volume, side) VALUES ($1, $2, $3, $4, $5)', [
        t.contractId,
        time,
        t.price,
        t.volume,
        t.side,
      ]);
      await client.query(upsert, [t.contractId, t.price, t.volume, ...bars]);
      await client.query('SELECT pg_notify($1, $2)', [
        channels.tickData.name,
        JSON.stringify({
          type: 'ticks',
          contract_id: t.contractId,
          ticks: [{ timestamp: time, price: t.price, volume: t.volume, side: t.side }],
        }),
      ]);
      await client.query('COMMIT');
    }
    return trades.length / ((performance.now() - started) / 1000);
  } finally {
    await client.end();
  }
}
