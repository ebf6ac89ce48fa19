// The wire between bench:ingest's load generator and the pipeline process: fixed 40-byte frames
// (contract index, time, price, volume, side) so decoding costs the pipeline process next to nothing
// and what is measured is the ingest path, not a parser.
import type { Trade } from '../../core/src/index.ts';
import { benchContract } from './market-ticks.ts';

const FIELDS = 5;
export const FRAME_BYTES = FIELDS * 8;

/** Encodes trades of contracts named by benchContract(i); `index` maps a contract id to i. */
export function encodeFrames(trades: readonly Trade[], index: (contractId: string) => number): Buffer {
  const data = new Float64Array(trades.length * FIELDS);
  trades.forEach((t, k) => {
    const o = k * FIELDS;
    data[o] = index(t.contractId);
    data[o + 1] = t.time;
    data[o + 2] = t.price;
    data[o + 3] = t.volume;
    data[o + 4] = t.side === 'buy' ? 0 : 1;
  });
  return Buffer.from(data.buffer);
}

/** Decodes whole frames from a byte stream; a partial frame waits for the next chunk. */
export class FrameDecoder {
  private rest: Buffer = Buffer.alloc(0);
  private readonly ids: string[] = [];

  decode(chunk: Buffer): Trade[] {
    const buf = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    const whole = buf.length - (buf.length % FRAME_BYTES);
    const trades: Trade[] = new Array<Trade>(whole / FRAME_BYTES);
    for (let o = 0, k = 0; o < whole; o += FRAME_BYTES, k++) {
      const c = buf.readDoubleLE(o);
      trades[k] = {
        contractId: (this.ids[c] ??= benchContract(c)),
        time: buf.readDoubleLE(o + 8),
        price: buf.readDoubleLE(o + 16),
        volume: buf.readDoubleLE(o + 24),
        side: buf.readDoubleLE(o + 32) === 0 ? 'buy' : 'sell',
      };
    }
    this.rest = Buffer.from(buf.subarray(whole));
    return trades;
  }
}
