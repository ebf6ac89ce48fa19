import { describe, expect, it } from 'vitest';
import { takeTicks } from './market-ticks.ts';
import { encodeFrames, FrameDecoder, FRAME_BYTES } from './tick-frames.ts';

const trades = takeTicks({ contracts: 3, meanGapMs: 200, start: Date.UTC(2026, 0, 5, 14) }, 2_000);
const index = (contractId: string): number => Number(contractId.slice(-3));

describe('tick frames', () => {
  it('gives back every trade, in order, however the stream is cut', () => {
    const bytes = encodeFrames(trades, index);
    for (const cut of [1, 7, FRAME_BYTES, FRAME_BYTES + 1, 4_096, 65_536, bytes.length]) {
      const decoder = new FrameDecoder();
      const out = [];
      for (let at = 0; at < bytes.length; at += cut) out.push(...decoder.decode(bytes.subarray(at, at + cut)));
      expect(out).toEqual(trades);
    }
  });
});
