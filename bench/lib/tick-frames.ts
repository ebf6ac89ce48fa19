// The wire between bench:ingest's load generator and the pipeline process: fixed 40-byte frames
// (contract index, time, price, volume, side) so decoding costs the pipeline process next to nothing
// and what is measured is the ingest path, not a parser. A stream with ids (`ids: true` on both ends) has
// 56-byte frames: two more fields, the simulated provider's id parts (epoch minute, index in the minute),
// made into its id string on decoding as the provider makes it (simulatedTradeId).
import type { Trade } from '../../core/src/index.ts';
import { benchContract, simulatedTradeId } from './market-ticks.ts';

const FIELDS = 5;
const ID_FIELDS = 2;
export const FRAME_BYTES = FIELDS * 8;
export const ID_FRAME_BYTES = (FIELDS + ID_FIELDS) * 8;
/** The simulated provider's id: `${contract}-${minute}-${i}`; the contract is the frame's own. */
const SIMULATED_ID = /-(\d+)-(\d+)$/;

/** Encodes trades of contracts named by benchContract(i); `index` maps a contract id to i. With `ids`, every
 * trade must carry a simulated provider's id (an error names the trade's id otherwise). */
export function encodeFrames(trades: readonly Trade[], index: (contractId: string) => number, ids = false): Buffer {
  const fields = ids ? FIELDS + ID_FIELDS : FIELDS;
  const data = new Float64Array(trades.length * fields);
  trades.forEach((t, k) => {
    const o = k * fields;
    data[o] = index(t.contractId);
    data[o + 1] = t.time;
    data[o + 2] = t.price;
    data[o + 3] = t.volume;
    data[o + 4] = t.side === 'buy' ? 0 : 1;
    if (!ids) return;
    const parts = typeof t.tradeId === 'string' ? SIMULATED_ID.exec(t.tradeId) : null;
    if (!parts || t.tradeId !== simulatedTradeId(t.contractId, Number(parts[1]), Number(parts[2])))
      throw new Error(`trade id ${String(t.tradeId)} is not a simulated provider's id of ${t.contractId}`);
    data[o + 5] = Number(parts[1]);
    data[o + 6] = Number(parts[2]);
  });
  return Buffer.from(data.buffer);
}

/** Decodes whole frames from a byte stream; a partial frame waits for the next chunk. Frames are read in place;
 * only a frame cut across two reads is copied, alone (as ws reads a socket: a copy of every 64 KB read would
 * double the bytes allocated outside V8's heap, which V8 counts against the old generation's room). */
export class FrameDecoder {
  private rest: Buffer = Buffer.alloc(0);
  private readonly ids: string[] = [];
  private readonly frameBytes: number;

  /** `withIds`: the stream's frames carry ids (encodeFrames' `ids`). */
  constructor(private readonly withIds = false) {
    this.frameBytes = withIds ? ID_FRAME_BYTES : FRAME_BYTES;
  }

  decode(chunk: Buffer): Trade[] {
    const frameBytes = this.frameBytes;
    let at = 0;
    let cut: Trade | undefined;
    if (this.rest.length > 0) {
      at = frameBytes - this.rest.length;
      if (chunk.length < at) {
        this.rest = Buffer.concat([this.rest, chunk]);
        return [];
      }
      cut = this.frameAt(Buffer.concat([this.rest, chunk.subarray(0, at)]), 0);
    }
    const whole = at + (chunk.length - at - ((chunk.length - at) % frameBytes));
    const first = cut ? 1 : 0;
    const trades: Trade[] = new Array<Trade>(first + (whole - at) / frameBytes);
    if (cut) trades[0] = cut;
    for (let o = at, k = first; o < whole; o += frameBytes, k++) trades[k] = this.frameAt(chunk, o);
    this.rest = whole < chunk.length ? Buffer.from(chunk.subarray(whole)) : Buffer.alloc(0);
    return trades;
  }

  private frameAt(buf: Buffer, o: number): Trade {
    const c = buf.readDoubleLE(o);
    const contractId = (this.ids[c] ??= benchContract(c));
    const time = buf.readDoubleLE(o + 8);
    const price = buf.readDoubleLE(o + 16);
    const volume = buf.readDoubleLE(o + 24);
    const side = buf.readDoubleLE(o + 32) === 0 ? 'buy' : 'sell';
    if (!this.withIds) return { contractId, time, price, volume, side };
    const tradeId = simulatedTradeId(contractId, buf.readDoubleLE(o + 40), buf.readDoubleLE(o + 48));
    return { contractId, time, price, volume, side, tradeId };
  }
}
