import { describe, expect, it } from 'vitest';
import { SimulatedMarket } from '../../ingester/src/providers/simulated-market.ts';
import type { ContractSettings } from '../../core/src/index.ts';
import { simulatedTradeId, takeTicks } from './market-ticks.ts';
import { encodeFrames, FrameDecoder, FRAME_BYTES, ID_FRAME_BYTES } from './tick-frames.ts';

const START = Date.UTC(2026, 0, 5, 14);
const trades = takeTicks({ contracts: 3, meanGapMs: 200, start: START }, 2_000);
const withIds = takeTicks({ contracts: 3, meanGapMs: 200, start: START, ids: true }, 2_000);
const index = (contractId: string): number => Number(contractId.slice(-3));

function decodeCut(bytes: Buffer, cut: number, ids: boolean): unknown[] {
  const decoder = new FrameDecoder(ids);
  const out = [];
  for (let at = 0; at < bytes.length; at += cut) out.push(...decoder.decode(bytes.subarray(at, at + cut)));
  return out;
}

describe('tick frames', () => {
  it('gives back every trade, in order, however the stream is cut', () => {
    const bytes = encodeFrames(trades, index);
    for (const cut of [1, 7, FRAME_BYTES, FRAME_BYTES + 1, 4_096, 65_536, bytes.length])
      expect(decodeCut(bytes, cut, false)).toEqual(trades);
  });

  it('with ids: the same trades, each with its simulated id, however the stream is cut', () => {
    expect(withIds.map(({ tradeId: _, ...t }) => t)).toEqual(trades);
    const bytes = encodeFrames(withIds, index, true);
    expect(bytes.length).toBe(withIds.length * ID_FRAME_BYTES);
    for (const cut of [1, 7, ID_FRAME_BYTES, ID_FRAME_BYTES + 1, 4_096, bytes.length]) expect(decodeCut(bytes, cut, true)).toEqual(withIds);
  });

  it("numbers each contract's trades within a minute from 0, as the simulated provider does", () => {
    // The provider's own ids for one minute: the template this side uses, i counting from 0.
    const contract = {
      id: 'BENCH.C000',
      provider: 'simulated',
      symbol: 'C0',
      name: 'c',
      tick_size: 0.25,
      session_calendar: 'utc',
      start_price: 5600,
    };
    const provider = new SimulatedMarket(7, 40).minuteTrades(contract as ContractSettings, START);
    expect(provider.map((t) => t.tradeId)).toEqual(provider.map((_, i) => simulatedTradeId('BENCH.C000', START / 60_000, i)));
    const byMinute = new Map<string, string[]>();
    for (const t of withIds) {
      const key = `${t.contractId}-${Math.floor(t.time / 60_000)}`;
      byMinute.set(key, [...(byMinute.get(key) ?? []), t.tradeId as string]);
    }
    expect(byMinute.size).toBeGreaterThan(3);
    for (const [key, ids] of byMinute) expect(ids).toEqual(ids.map((_, i) => `${key}-${i}`));
  });

  it('refuses to encode a trade whose id is not a simulated one, naming it', () => {
    const bad = [{ ...(withIds[0] as (typeof withIds)[number]), tradeId: '800000001' }];
    expect(() => encodeFrames(bad, index, true)).toThrow(/trade id 800000001 is not a simulated provider's id of BENCH\.C00\d/);
  });
});
