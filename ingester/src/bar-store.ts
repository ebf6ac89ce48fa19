// Writes one flush in one transaction: bars upserted, ticks inserted, NOTIFYs sent, all or nothing.
import { barKey, channels, type ContractBar, formatTimeframe, isoWithMicros, type Timeframe, tickPayloads, toOhlcMessage, type Trade } from '@barstream/core';
import { inTransaction, type Pool } from '@barstream/core/node';

export interface FlushResult {
  readonly bars: number;
  readonly ticks: number;
  readonly notifies: number;
}

// Forming rows never overwrite a closed row: a closed bar is final for the live path.
const UPSERT_BARS = `
INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume,
                       timeframe_unit, timeframe_value, timeframe, is_closed, updated_at)
SELECT * , now() FROM unnest($1::text[], $2::timestamptz[], $3::float8[], $4::float8[], $5::float8[],
                      $6::float8[], $7::float8[], $8::int2[], $9::int4[], $10::text[], $11::bool[])
ON CONFLICT (contract_id, timeframe_unit, timeframe_value, "timestamp") DO UPDATE SET
  open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
  volume = EXCLUDED.volume, is_closed = EXCLUDED.is_closed, updated_at = now()
WHERE NOT ohlc_bars.is_closed
RETURNING contract_id, timeframe_unit, timeframe_value, (extract(epoch FROM "timestamp") * 1000)::float8 AS time`;

const INSERT_TICKS = `
INSERT INTO ticks (contract_id, "timestamp", price, volume, side, trade_id)
SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::float8[], $4::float8[], $5::text[], $6::text[])`;

const NOTIFY_MANY = 'SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload';

export async function writeFlush(pool: Pool, bars: readonly ContractBar[], trades: readonly Trade[]): Promise<FlushResult> {
  if (bars.length === 0 && trades.length === 0) return { bars: 0, ticks: 0, notifies: 0 };
  return inTransaction(pool, async (client) => {
    let notifies = 0;
    let barsWritten = 0;
    if (bars.length > 0) {
      const { rows } = await client.query<{ contract_id: string; timeframe_unit: number; timeframe_value: number; time: number }>(
        UPSERT_BARS, barColumns(bars));
      // Only rows that changed are announced: a bar already closed in the table is not reopened.
      const written = new Set(rows.map((r) => barKey(r.contract_id, r.timeframe_unit, r.timeframe_value, r.time)));
      const payloads = bars.filter((b) => written.has(barKey(b.contractId, b.unit, b.value, b.time)))
        .map((b) => JSON.stringify(toOhlcMessage(b)));
      if (payloads.length > 0) await client.query(NOTIFY_MANY, [channels.ohlcUpdate.name, payloads]);
      notifies += payloads.length;
      barsWritten = rows.length;
    }
    if (trades.length > 0) {
      await client.query(INSERT_TICKS, tickColumns(trades));
      const payloads = [...groupByContract(trades)].flatMap(([id, list]) => tickPayloads(id, list));
      await client.query(NOTIFY_MANY, [channels.tickData.name, payloads]);
      notifies += payloads.length;
    }
    return { bars: barsWritten, ticks: trades.length, notifies };
  });
}

function barColumns(bars: readonly ContractBar[]): unknown[][] {
  const cols: unknown[][] = Array.from({ length: 11 }, () => new Array(bars.length));
  bars.forEach((b, i) => {
    const row = [b.contractId, new Date(b.time).toISOString(), b.open, b.high, b.low, b.close, b.volume,
      b.unit, b.value, formatTimeframe({ unit: b.unit, value: b.value } as Timeframe), b.isClosed];
    row.forEach((v, c) => { (cols[c] as unknown[])[i] = v; });
  });
  return cols;
}

function tickColumns(trades: readonly Trade[]): unknown[][] {
  const n = trades.length;
  const ids = new Array<string>(n), times = new Array<string>(n), prices = new Array<number>(n);
  const volumes = new Array<number>(n), sides = new Array<string>(n), tradeIds = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    const t = trades[i] as Trade;
    ids[i] = t.contractId; times[i] = isoWithMicros(t.time); prices[i] = t.price;
    volumes[i] = t.volume; sides[i] = t.side; tradeIds[i] = t.tradeId ?? null;
  }
  return [ids, times, prices, volumes, sides, tradeIds];
}

function groupByContract(trades: readonly Trade[]): Map<string, Trade[]> {
  const groups = new Map<string, Trade[]>();
  for (const t of trades) {
    const list = groups.get(t.contractId);
    if (list) list.push(t); else groups.set(t.contractId, [t]);
  }
  return groups;
}
