import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAlpacaFrame, parsedAlpacaFrame } from './alpaca-frame.ts';
import { scanAlpacaFrame } from './alpaca-frame-byte-scan.ts';
import { invalidUtf8Variants } from '../invalid-utf8-variants.ts';

/** One symbol beyond ASCII: the scan matches symbols by their UTF-8 bytes. */
const symbols = new Set(['SPY', 'AAPL', 'ÉSPY']);

/** Fixed seeds: a failure is the same failure on every run (fast-check prints the seed and the path). */
const runs = (seed: number, numRuns = 600) => ({ seed, numRuns });

/** Mostly the good value, now and then a bad one: a frame of several messages is then often all good. */
const often = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: bad });
const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
const timeText = often(
  fc
    .tuple(fc.integer({ min: 0, max: 4_102_444_799 }), digits(0, 9))
    .map(([s, f]) => `${new Date(s * 1000).toISOString().slice(0, 19)}${f ? `.${f}` : ''}Z`),
  fc.constantFrom('2024-01-01T09:30:00-05:00', '2024-02-30T00:00:00Z', '2024-01-01T00:00:61Z', '2024-01-01 00:00:00Z', 'x', ''),
);
/** Prices and sizes as the stream writes them (a few decimals); full doubles (17 digits) go the JSON way. */
const number = often(
  fc.oneof(
    fc.integer({ min: 0, max: 1e10 }).map((n) => n / 10_000),
    fc.integer({ min: 0, max: 1_000_000 }),
  ),
  fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constantFrom(-1, 1e21, 2 ** 53, 1.2345678901234567, 5e-7)),
);
const strings = often(fc.array(fc.constantFrom('@', 'I', 'F'), { maxLength: 3 }), fc.array(fc.constantFrom('a"b', 'é', '\u0001', '\\')));
const trade = fc.record(
  {
    T: often(fc.constant('t'), fc.constantFrom('q', 'c', 'success')),
    S: often(fc.constantFrom('SPY', 'AAPL', 'ÉSPY'), fc.constantFrom('MSFT', 'ÉSPZ', '', 'X'.repeat(33), 'é'.repeat(33))),
    i: often(fc.nat(), fc.constantFrom(-1, 1.5, 2 ** 53)),
    x: often(fc.constant('V'), fc.constantFrom('', 'a\\b')),
    p: number,
    s: number,
    c: strings,
    t: timeText,
    z: fc.constantFrom('C', '', 'A', 'é', 'CC'),
  },
  { requiredKeys: ['T', 'S', 'i', 'x', 'p', 's', 't'] },
);
const quote = fc.record(
  {
    T: often(fc.constant('q'), fc.constant('t')),
    S: often(fc.constantFrom('SPY', 'AAPL'), fc.constant('MSFT')),
    bx: fc.constantFrom('V', 'é'),
    bp: number,
    bs: number,
    ax: fc.constantFrom('V'),
    ap: number,
    as: number,
    t: timeText,
    c: strings,
    z: fc.constantFrom('C'),
  },
  { requiredKeys: ['T', 'S', 'bp', 'bs', 'ap', 'as', 't'] },
);
/** Messages in the stream's form, with their keys shuffled (the docs' examples order them differently). */
const frameText = fc.array(fc.tuple(fc.oneof(trade, quote), fc.nat()), { minLength: 1, maxLength: 4 }).map((messages) =>
  JSON.stringify(
    messages.map(([m, seed]) => {
      const entries: [string, unknown][] = Object.entries(m);
      for (let k = entries.length - 1; k > 0; k--) {
        const j = (seed + k * 7) % (k + 1);
        [entries[k], entries[j]] = [entries[j] as [string, unknown], entries[k] as [string, unknown]];
      }
      return Object.fromEntries(entries);
    }),
  ),
);

function variants(text: string, at: number): string[] {
  const k = at % Math.max(1, text.length);
  return [
    text,
    JSON.stringify(JSON.parse(text), null, 1),
    text.replace('"T":"t"', '"T":"t","T":"t"'),
    text.replace('"S":', '"u":1,"S":'),
    text.replace(/"p":(\d+)/, '"p":0$1'),
    text.replace(/"p":(\d+)/, '"p":$1e0'),
    text.replace(/"i":(\d+)/, '"i":$1.0'),
    text.replace('"SPY"', '"\\u0053PY"'),
    `${text} `,
    `${text},`,
    text.slice(0, k),
    text.slice(0, k) + text.slice(k + 1),
    `${text.slice(0, k)}"${text.slice(k)}`,
    `${text.slice(0, k)}\\${text.slice(k)}`,
    `${text.slice(0, k)}\u0001${text.slice(k)}`,
  ];
}

describe('scanAlpacaFrame', () => {
  it('reads the frames the stream writes: what JSON.parse, the fast path and zod give', () => {
    const text = JSON.stringify([
      { T: 't', i: 96921, S: 'AAPL', x: 'D', p: 126.55, s: 1, t: '2021-02-22T15:51:44.208Z', c: ['@', 'I'], z: 'C' },
      { T: 'q', S: 'SPY', bx: 'V', bp: 0, bs: 0, ax: 'V', ap: 401.5, as: 3, t: '2021-02-22T15:51:44.208123456Z', c: ['R'], z: 'B' },
      { T: 't', S: 'SPY', i: 7, x: 'V', p: 401.25, s: 100, c: [], t: '2021-02-22T15:51:44.3Z' },
    ]);
    const scanned = scanAlpacaFrame(Buffer.from(text), symbols);
    expect(scanned?.trades.map((t) => t.tradeId)).toEqual(['C96921', '7']);
    expect(scanned?.quotes).toHaveLength(1);
    expect(scanned).toEqual(parsedAlpacaFrame(text, symbols));
  });

  it('accepts only what the JSON path accepts, and gives the same frame', () => {
    let scanned = 0;
    fc.assert(
      fc.property(frameText, fc.nat(), fc.boolean(), (text, at, withSymbols) => {
        const subscribed = withSymbols ? symbols : undefined;
        for (const variant of variants(text, at)) {
          const viaScan = scanAlpacaFrame(Buffer.from(variant), subscribed);
          const viaJson = parsedAlpacaFrame(variant, subscribed);
          if (viaScan) {
            scanned++;
            expect(viaScan).toEqual(viaJson);
          }
          // The provider's entry point: the same frame, or the same rejections naming the same problems.
          expect(parseAlpacaFrame(variant, subscribed)).toEqual(viaJson);
          expect(parseAlpacaFrame(Buffer.from(variant), subscribed)).toEqual(viaJson);
        }
        for (const bytes of invalidUtf8Variants(text, at)) {
          const viaJson = parsedAlpacaFrame(bytes.toString('utf8'), subscribed);
          const viaScan = scanAlpacaFrame(bytes, subscribed);
          if (viaScan) expect(viaScan).toEqual(viaJson);
          expect(parseAlpacaFrame(bytes, subscribed)).toEqual(viaJson);
        }
      }),
      runs(41),
    );
    expect(scanned).toBeGreaterThan(100);
  });

  it('reads every frame of valid trades in the stream form', () => {
    const valid = fc.array(
      fc.record({
        T: fc.constant('t'),
        S: fc.constantFrom('SPY', 'AAPL'),
        i: fc.nat(),
        x: fc.constant('V'),
        p: fc
          .double({ min: 0.0001, max: 1e5, noNaN: true })
          .map((p) => Math.round(p * 10_000) / 10_000)
          .filter((p) => p > 0),
        s: fc.integer({ min: 0, max: 100_000 }),
        c: fc.constant(['@']),
        t: fc.integer({ min: 0, max: 4_102_444_799_999 }).map((ms) => new Date(ms).toISOString()),
        z: fc.constant('C'),
      }),
      { minLength: 1, maxLength: 20 },
    );
    fc.assert(
      fc.property(valid, (messages) => {
        const text = JSON.stringify(messages);
        const viaScan = scanAlpacaFrame(Buffer.from(text), symbols);
        expect(viaScan).toBeDefined();
        expect(viaScan).toEqual(parsedAlpacaFrame(text, symbols));
      }),
      runs(43),
    );
  });
});
