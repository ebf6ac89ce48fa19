// A flush's ticks as `COPY ticks … (FORMAT binary)` input, in chunks, straight from the columnar
// batch: numbers go in as doubles and times as microseconds (neither side formats nor parses decimal
// text), and each tick's NOTIFY columns are built in the same pass from the same microseconds.
import type { TickPayloadBuilder } from '@barstream/core';
import { BinaryCopyWriter } from '@barstream/core/node';
import { SIDES, type TickBatch } from './tick-batch.ts';

export const COPY_TICKS_BINARY = 'COPY ticks (contract_id, "timestamp", price, volume, side, trade_id) FROM STDIN (FORMAT binary)';

/** Ticks per chunk handed to the COPY: Node encodes the next while PostgreSQL stores this one. */
const CHUNK_TICKS = 2_000;
/** About CHUNK_TICKS rows of ~70 bytes, so a chunk is one buffer. */
const CHUNK_BYTES = 1 << 18;
const COLUMNS = 6;

export function* tickCopyChunks(batch: TickBatch, payloads: TickPayloadBuilder): Generator<Buffer> {
  const w = new BinaryCopyWriter(CHUNK_BYTES);
  const { contractIds, contract, time, price, volume, side, tradeId } = batch;
  for (let i = 0; i < batch.length; i++) {
    const contractId = contractIds[contract[i] as number] as string;
    const ms = time[i] as number;
    const p = price[i] as number;
    const v = volume[i] as number;
    const s = SIDES[side[i] as number] ?? 'unknown';
    const micros = Math.round(ms * 1000);
    payloads.addTick(contractId, micros, p, v, s);
    w.row(COLUMNS).text(contractId).timestamptzMicros(micros).float8(p).float8(v).text(s);
    const id = tradeId?.[i];
    if (id === undefined) w.null();
    else w.text(id);
    if ((i + 1) % CHUNK_TICKS === 0) yield* w.takeChunks();
  }
  yield* w.finish();
}
