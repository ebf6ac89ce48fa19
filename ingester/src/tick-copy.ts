// A flush's ticks as `COPY ticks … (FORMAT binary)` input, in chunks, straight from the columnar
// batch: numbers go in as doubles and times as microseconds (neither side formats nor parses decimal
// text), and each chunk's NOTIFY columns are built in the same pass from the same microseconds.
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
  const { contractIds, contract, time, price, volume, side, tradeId, tradeNo } = batch;
  const byContract = new ContractOrder(contractIds.length, Math.min(CHUNK_TICKS, batch.length));
  for (let from = 0; from < batch.length; from += CHUNK_TICKS) {
    const to = Math.min(batch.length, from + CHUNK_TICKS);
    for (let i = from; i < to; i++) {
      w.row(COLUMNS)
        .text(contractIds[contract[i] as number] as string)
        .timestamptzMicros(Math.round((time[i] as number) * 1000))
        .float8(price[i] as number)
        .float8(volume[i] as number)
        .text(SIDES[side[i] as number] ?? 'unknown');
      // A numbered id's digits go straight into the row (the text String(n) would be); else the text, or NULL.
      const no = tradeNo === undefined ? NaN : (tradeNo[i] as number);
      if (!Number.isNaN(no)) w.decimalDigits(no);
      else {
        const id = tradeId?.[i];
        if (id === undefined) w.null();
        else w.text(id);
      }
    }
    // The chunk's NOTIFY columns contract by contract (each contract's ticks in their order): a payload
    // then holds a few long groups instead of a short one for every contract that traded. At 100
    // contracts a flood's payloads carried ~1.4 ticks a group, and each group's head and column
    // brackets (~60 bytes) made a tick ~56 bytes of NOTIFY instead of ~19.
    const order = byContract.sort(contract, from, to);
    for (let k = 0; k < to - from; k++) {
      const i = order[k] as number;
      payloads.addTick(
        contractIds[contract[i] as number] as string,
        Math.round((time[i] as number) * 1000),
        price[i] as number,
        volume[i] as number,
        SIDES[side[i] as number] ?? 'unknown',
      );
    }
    if (to - from === CHUNK_TICKS) yield* w.takeChunks();
  }
  yield* w.finish();
}

/** Rows of a chunk ordered by contract index, stable (a counting sort: two passes, no comparisons). */
class ContractOrder {
  private readonly starts: Uint32Array;
  private readonly order: Uint32Array;

  constructor(contracts: number, rows: number) {
    this.starts = new Uint32Array(contracts + 1);
    this.order = new Uint32Array(rows);
  }

  /** Rows [from, to) by contract, each contract's rows in their order. */
  sort(contract: Uint32Array, from: number, to: number): Uint32Array {
    const { starts, order } = this;
    starts.fill(0);
    for (let i = from; i < to; i++) (starts[(contract[i] as number) + 1] as number)++;
    for (let c = 1; c < starts.length; c++) (starts[c] as number) += starts[c - 1] as number;
    for (let i = from; i < to; i++) order[(starts[contract[i] as number] as number)++] = i;
    return order;
  }
}
