import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredBar } from '../server/stored-bars.ts';
import { BINARY_BAR_BYTES, binaryBarsJson } from './binary-bars-json.ts';
import { wireBarJson } from './ohlc-json.ts';

const PG_EPOCH_MS = 946_684_800_000;
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

/** The bytes PostgreSQL's timestamptz_send, float8send and boolsend write for these bars. */
function encode(bars: readonly StoredBar[]): Uint8Array {
  const bytes = new Uint8Array(bars.length * BINARY_BAR_BYTES);
  const view = new DataView(bytes.buffer);
  bars.forEach((b, i) => {
    const at = i * BINARY_BAR_BYTES;
    view.setBigInt64(at, BigInt(b.time - PG_EPOCH_MS) * 1000n);
    [b.open, b.high, b.low, b.close, b.volume].forEach((v, k) => view.setFloat64(at + 8 + 8 * k, v));
    view.setUint8(at + 48, b.isClosed ? 1 : 0);
  });
  return bytes;
}

describe('binaryBarsJson', () => {
  it("writes exactly the cached path's JSON for the same bars, any time in years 1 to 9999 and any finite number", () => {
    const bar = fc.record({
      time: fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }),
      open: finite,
      high: finite,
      low: finite,
      close: finite,
      volume: finite,
      isClosed: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(bar, { maxLength: 20 }), (bars) => {
        expect(binaryBarsJson(encode(bars), 'C').toString('utf8')).toBe(bars.map((b) => wireBarJson({ ...b })).join(','));
      }),
    );
  });

  it('refuses a bar JSON cannot hold, naming the contract', () => {
    const ok: StoredBar = { time: 0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3, isClosed: true };
    for (const bad of [{ close: Number.NaN }, { volume: Number.POSITIVE_INFINITY }, { low: Number.NEGATIVE_INFINITY }]) {
      expect(() => binaryBarsJson(encode([ok, { ...ok, ...bad }]), 'SIM.MES')).toThrow(/SIM\.MES is not finite/);
    }
    expect(binaryBarsJson(encode([{ ...ok, open: 1e300, high: 1.7e308 }]), 'C').toString('utf8')).toContain('"high":1.7e+308');
  });

  it('refuses a page that is not whole bars', () => {
    expect(() => binaryBarsJson(new Uint8Array(BINARY_BAR_BYTES + 1), 'C')).toThrow(/not a multiple of 49/);
  });
});
