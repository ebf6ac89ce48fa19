import { isoWithMicros, TickPayloadBuilder, tickBatchesOf, tickNotifyPayloadSchema, type Trade, type TradeSide } from '@barstream/core';
import { describe, expect, it } from 'vitest';
import { tickBatchOf } from './tick-batch.ts';
import { tickCopyChunks } from './tick-copy.ts';

const SIDES: readonly TradeSide[] = ['buy', 'sell', 'unknown'];
const utf8 = new TextEncoder();

/** Trades of `contracts` contracts taking turns (a flood's interleaving), some with vendor ids. */
function interleaved(count: number, contracts: number): Trade[] {
  return Array.from({ length: count }, (_, i) => ({
    contractId: `CON.F.US.C${i % contracts}.H26`,
    time: 1_780_000_000_000 + i * 0.731 + (i % 7) * 0.001,
    price: 6012.25 + ((i * 7919) % 41) * 0.25,
    volume: 1 + ((i * 31) % 12),
    side: SIDES[i % 3] as TradeSide,
    ...(i % 5 === 0 ? { tradeId: String(3_000_000_000 + i) } : {}),
  }));
}

/** Every contract's ticks as the client frames give them, in order. */
function perContract(payloads: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const raw of payloads) {
    for (const batch of tickBatchesOf(tickNotifyPayloadSchema.parse(JSON.parse(raw)))) {
      out.set(batch.contract_id, [...(out.get(batch.contract_id) ?? []), ...batch.ticks.map((t) => JSON.stringify(t))]);
    }
  }
  return out;
}

function expected(trades: readonly Trade[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of trades) {
    const tick = { timestamp: isoWithMicros(t.time), price: t.price, volume: t.volume, side: t.side };
    out.set(t.contractId, [...(out.get(t.contractId) ?? []), JSON.stringify(tick)]);
  }
  return out;
}

/** The COPY stream's rows: a binary COPY row starts with its column count (6) as int16. */
function copyOf(trades: readonly Trade[]): { bytes: Buffer; payloads: string[] } {
  const builder = new TickPayloadBuilder();
  const bytes = Buffer.concat([...tickCopyChunks(tickBatchOf(trades), builder)]);
  return { bytes, payloads: builder.finish() };
}

describe('tickCopyChunks', () => {
  it.each([
    [0, 1],
    [1, 1],
    [1_999, 3],
    [2_000, 100],
    [2_001, 100],
    [5_003, 100],
    [9_000, 7],
  ])('%i ticks over %i contracts: every tick NOTIFYed once, each contract in order, every payload under the limit', (count, contracts) => {
    const trades = interleaved(count, contracts);
    const { payloads } = copyOf(trades);
    for (const raw of payloads) expect(utf8.encode(raw).length).toBeLessThanOrEqual(8000);
    expect(perContract(payloads)).toEqual(expected(trades));
  });

  it('writes the same COPY rows, in the batch order, as before the payloads were grouped by contract', () => {
    const trades = interleaved(5_003, 100);
    const { bytes } = copyOf(trades);
    // Row by row from a batch of one trade at a time: the COPY part does not depend on the chunking.
    const rows = trades.map((t) => {
      const one = [...tickCopyChunks(tickBatchOf([t]), new TickPayloadBuilder())];
      const all = Buffer.concat(one);
      // Each single-trade stream is the 19-byte header, one row, and the 2-byte trailer.
      return all.subarray(19, all.length - 2);
    });
    const header = bytes.subarray(0, 19);
    expect(Buffer.concat([header, ...rows, bytes.subarray(bytes.length - 2)]).equals(bytes)).toBe(true);
  });

  it('packs a flood of 100 interleaved contracts into few long groups: ~20 bytes a tick, not ~56', () => {
    const trades = interleaved(20_000, 100);
    const { payloads } = copyOf(trades);
    const bytes = payloads.reduce((n, p) => n + utf8.encode(p).length, 0);
    // Before (a group per contract per payload, ~1.4 ticks each): 56 bytes a tick, 140 payloads.
    expect(bytes / trades.length).toBeLessThan(30);
    expect(payloads.length).toBeLessThan(80);
  });
});
