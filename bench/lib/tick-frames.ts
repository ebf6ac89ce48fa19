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

/** Decodes whole frames from a byte stream; a partial frame waits for the next chunk. Frames are read in place;
 * only a frame cut across two reads is copied, alone (as ws reads a socket: a copy of every 64 KB read would
 * double the bytes allocated outside V8's heap, which V8 counts against the old generation's room). */
export class FrameDecoder {
  private rest: Buffer = Buffer.alloc(0);
  private readonly ids: string[] = [];

  decode(chunk: Buffer): Trade[] {
    let at = 0;
    let cut: Trade | undefined;
    if (this.rest.length > 0) {
      at = FRAME_BYTES - this.rest.length;
      if (chunk.length < at) {
        this.rest = Buffer.concat([this.rest, chunk]);
        return [];
      }
      cut = this.frameAt(Buffer.concat([this.rest, chunk.subarray(0, at)]), 0);
    }
    const whole = at + (chunk.length - at - ((chunk.length - at) % FRAME_BYTES));
    const first = cut ? 1 : 0;
    const trades: Trade[] = new Array<Trade>(first + (whole - at) / FRAME_BYTES);
    if (cut) trades[0] = cut;
    for (let o = at, k = first; o < whole; o += FRAME_BYTES, k++) trades[k] = this.frameAt(chunk, o);
    this.rest = whole < chunk.length ? Buffer.from(chunk.subarray(whole)) : Buffer.alloc(0);
    return trades;
  }

  private frameAt(buf: Buffer, o: number): Trade {
    const c = buf.readDoubleLE(o);
    return {
      contractId: (this.ids[c] ??= benchContract(c)),
      time: buf.readDoubleLE(o + 8),
      price: buf.readDoubleLE(o + 16),
      volume: buf.readDoubleLE(o + 24),
      side: buf.readDoubleLE(o + 32) === 0 ? 'buy' : 'sell',
    };
  }
}
