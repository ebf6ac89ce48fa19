// Numbered trade ids (core's Trade.tradeId as a number) through the tick buffer and the COPY: whatever the
// mix of ids and the buffer's operations, a batch's COPY bytes are byte for byte those of the same trades with
// every id as its text (what was stored before ids could be numbers), and no numbered id is held as a string.
import { TickPayloadBuilder, tradeIdText, type Trade } from '@barstream/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SIDES, type TickBatch, tickBatchOf, tradeIdTextAt } from './tick-batch.ts';
import { TickBuffer } from './tick-buffer.ts';
import { tickCopyChunks } from './tick-copy.ts';

/** Fixed seed: a failure is the same failure on every run (fast-check prints the seed and the path). */
const SEED = 17_2026;

/** Every kind of id a provider gives: none, a number (any safe integer ≥ 0), digits with a leading zero, 16+
 * digits, a simulated provider's text, anything else (quotes, backslashes, non-ASCII). */
const tradeIdArb: fc.Arbitrary<Trade['tradeId']> = fc.oneof(
  fc.constant(undefined),
  fc.maxSafeNat(),
  fc.integer({ min: 0, max: 99 }),
  fc.stringMatching(/^0[0-9]{1,15}$/),
  fc.stringMatching(/^[1-9][0-9]{15,19}$/),
  fc.nat().map((i) => `SIM.X-29478240-${i}`),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

const tradeOf = (i: number, tradeId: Trade['tradeId']): Trade => ({
  contractId: `C${i % 3}`,
  time: 1_767_225_600_000 + i + 0.25,
  price: 100 + i,
  volume: i % 7,
  side: SIDES[i % 3] ?? 'unknown',
  ...(tradeId === undefined ? {} : { tradeId }),
});

/** The trade as it was stored before ids could be numbers: its id as text. */
const asText = (t: Trade): Trade => (typeof t.tradeId === 'number' ? { ...t, tradeId: tradeIdText(t.tradeId) } : t);

const copyBytes = (batch: TickBatch): Buffer => Buffer.concat([...tickCopyChunks(batch, new TickPayloadBuilder())]);

type Op =
  | { readonly kind: 'append'; readonly ids: readonly Trade['tradeId'][] }
  | { readonly kind: 'take'; readonly max: number }
  | { readonly kind: 'putBack' }
  | { readonly kind: 'drop'; readonly n: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.array(tradeIdArb, { maxLength: 40 }).map((ids) => ({ kind: 'append' as const, ids })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 50 }).map((max) => ({ kind: 'take' as const, max })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'putBack' as const }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 10 }).map((n) => ({ kind: 'drop' as const, n })) },
);

/** Checks a batch taken from the buffer against the trades it should hold. */
function expectBatch(batch: TickBatch, expected: readonly Trade[]): void {
  expect(batch.length).toBe(expected.length);
  expect(Array.from({ length: batch.length }, (_, i) => tradeIdTextAt(batch, i))).toEqual(expected.map((t) => tradeIdText(t.tradeId)));
  // Byte for byte the COPY of the same trades with text ids.
  expect(copyBytes(batch).equals(copyBytes(tickBatchOf(expected.map(asText))))).toBe(true);
  // A numbered id is never held as a string.
  expected.forEach((t, i) => {
    if (typeof t.tradeId === 'number') expect(batch.tradeId?.[i]).toBeUndefined();
  });
}

describe('numbered trade ids through the tick buffer and the COPY', () => {
  it('COPY bytes equal those of the ids as text, through appends, takes, put-back failed flushes and drops', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const buffer = new TickBuffer();
        let model: Trade[] = [];
        let last: { batch: TickBatch; trades: Trade[] } | undefined;
        let next = 0;
        for (const op of ops) {
          if (op.kind === 'append') {
            for (const id of op.ids) {
              const t = tradeOf(next++, id);
              buffer.append(t);
              model.push(t);
            }
          } else if (op.kind === 'take') {
            const batch = buffer.take(op.max);
            const trades = model.slice(0, op.max);
            model = model.slice(op.max);
            expectBatch(batch, trades);
            last = { batch, trades };
          } else if (op.kind === 'putBack') {
            // As the flusher does: the failed flush's batch, before any other take (appends and drops may come between).
            if (last) {
              buffer.putBack(last.batch);
              model = [...last.trades, ...model];
            }
            last = undefined;
            continue;
          } else {
            buffer.dropOldest(op.n);
            model = model.slice(op.n);
          }
        }
        expectBatch(buffer.take(Number.MAX_SAFE_INTEGER), model);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('tickBatchOf keeps numbered ids as numbers and the rest as text', () => {
    const trades = [tradeOf(0, 800_000_001), tradeOf(1, '007'), tradeOf(2, undefined), tradeOf(3, 0), tradeOf(4, Number.MAX_SAFE_INTEGER)];
    const batch = tickBatchOf(trades);
    expect(Array.from(batch.tradeNo ?? [])).toEqual([800_000_001, NaN, NaN, 0, Number.MAX_SAFE_INTEGER]);
    expect(batch.tradeId).toEqual([undefined, '007', undefined, undefined, undefined]);
    expect(copyBytes(batch).equals(copyBytes(tickBatchOf(trades.map(asText))))).toBe(true);
    // Only numbers: no text column at all.
    expect(tickBatchOf([tradeOf(0, 1), tradeOf(1, 2)]).tradeId).toBeUndefined();
  });

  it('keeps a number that cannot stand for its digits as its text (the validator refuses such a trade first)', () => {
    const buffer = new TickBuffer();
    buffer.append(tradeOf(0, 1.5));
    buffer.append(tradeOf(1, -3));
    const batch = buffer.take(2);
    expect(batch.tradeId).toEqual(['1.5', '-3']);
    expect(Array.from(batch.tradeNo ?? [NaN, NaN])).toEqual([NaN, NaN]);
  });
});
