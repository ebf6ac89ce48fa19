import { TickPayloadBuilder, type Trade } from '@barstream/core';
import { BinaryCopyWriter } from '@barstream/core/node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tickBatchOf } from './tick-batch.ts';
import { TickBuffer } from './tick-buffer.ts';
import { tickCopyChunks } from './tick-copy.ts';
import { idDigitsOf, idPrefixOf, TEXT_ID, tradeIdAt } from './trade-id-columns.ts';

/** Ids as venues send them and everything near them: digit strings of every length (leading zeros,
 * 15 and 16 digits), a letter or other character before digits, and any text at all. */
const tradeId = fc.oneof(
  fc.stringMatching(/^[0-9]{1,20}$/),
  fc.bigInt({ min: 0n, max: 10n ** 16n }).map(String),
  fc
    .tuple(fc.constantFrom('', 'A', 'B', 'C', 'z', '-', ' ', '~', 'é', '\u0000', 'AB'), fc.bigInt({ min: 0n, max: 10n ** 15n }))
    .map(([p, d]) => `${p}${d}`),
  fc.constantFrom('0', '00', '007', '999999999999999', '1000000000000000', '9007199254740993', '1e5', '+1', '-1', '1.0', ' 1', ''),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const maybeId = fc.option(tradeId, { nil: undefined });

const trades = (ids: readonly (string | undefined)[]): Trade[] =>
  ids.map((id, i) => ({
    contractId: `C${i % 3}`,
    time: 1_767_225_600_000 + i,
    price: 100 + i,
    volume: 1,
    side: 'buy',
    ...(id === undefined ? {} : { tradeId: id }),
  }));

/** The COPY input with every id written as the text it is (what the ingester sent before ids had columns). */
function referenceCopy(ts: readonly Trade[]): Buffer {
  const w = new BinaryCopyWriter(1 << 20);
  for (const t of ts) {
    w.row(6)
      .text(t.contractId)
      .timestamptzMicros(Math.round(t.time * 1000))
      .float8(t.price)
      .float8(t.volume)
      .text(t.side);
    if (t.tradeId === undefined) w.null();
    else w.text(t.tradeId);
  }
  return Buffer.concat(w.finish());
}

describe('trade id columns', () => {
  it('keep a digit id as a number only when String of it gives the id back', () => {
    fc.assert(
      fc.property(tradeId, (id) => {
        const prefix = idPrefixOf(id);
        const d = idDigitsOf(id, prefix);
        if (d === TEXT_ID) return;
        expect(Number.isSafeInteger(d)).toBe(true);
        expect(prefix === 0 ? String(d) : String.fromCharCode(prefix) + String(d)).toBe(id);
      }),
      { numRuns: 5_000 },
    );
  });

  it('write the COPY byte for byte as the ids as text, through the buffer, a failed flush and a one-off batch', () => {
    fc.assert(
      fc.property(fc.array(maybeId, { maxLength: 60 }), fc.nat({ max: 60 }), (ids, cut) => {
        const ts = trades(ids);
        const expected = referenceCopy(ts);
        const copy = (b: ReturnType<typeof tickBatchOf>): Buffer => Buffer.concat([...tickCopyChunks(b, new TickPayloadBuilder())]);
        expect(copy(tickBatchOf(ts)).equals(expected)).toBe(true);
        const buffer = new TickBuffer();
        for (const t of ts) buffer.append(t);
        // A first flush fails and is put back; the retry takes everything.
        buffer.putBack(buffer.take(cut));
        const batch = buffer.take(ts.length);
        expect(copy(batch).equals(expected)).toBe(true);
        expect(Array.from({ length: batch.length }, (_, i) => tradeIdAt(batch.tradeIds, i))).toEqual(ids);
      }),
      { numRuns: 2_000 },
    );
  });

  it('keep ids across growth, a put-back batch without ids into a buffer with them, and the reverse', () => {
    const buffer = new TickBuffer();
    const without = trades([undefined, undefined]);
    buffer.append(without[0] as Trade);
    const taken = buffer.take(1);
    const ids = Array.from({ length: 10_000 }, (_, i) => (i % 7 === 0 ? undefined : i % 11 === 0 ? `x${i}y` : `${i * 1_000_003}`));
    const ts = trades(ids);
    for (const t of ts) buffer.append(t);
    buffer.putBack(taken);
    const all = buffer.take(20_000);
    expect(Array.from({ length: all.length }, (_, i) => tradeIdAt(all.tradeIds, i))).toEqual([undefined, ...ids]);
  });
});
