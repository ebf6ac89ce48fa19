// bench:ingest's pipe with a venue's frames (`--wire-transports pipe`): each frame's text as UTF-8 behind a
// 4-byte little-endian length, written down the same pipe the simulated side's 40-byte frames go down, so a
// wire run and a simulated run differ by the frames' text and the provider's parser, not by the transport.
// The encoder makes chunks of about the simulated generator's writes; the decoder hands out each whole frame
// of a read as a view into it (the bytes the parser is given, as ws hands a frame's payload on).

import { framedChunks } from './framed-chunks.ts';

/** Bytes of the length ahead of each frame. */
export const LENGTH_BYTES = 4;
/** About what the simulated generator writes at a time (2,000 frames of 40 bytes). */
const CHUNK_BYTES = 80_000;

/** The frames, each behind its byte length, concatenated into chunks of about CHUNK_BYTES. */
export function encodeLengthPrefixed(frames: readonly string[]): Buffer[] {
  return framedChunks(frames, CHUNK_BYTES, (n) => {
    const header = Buffer.allocUnsafe(LENGTH_BYTES);
    header.writeUInt32LE(n, 0);
    return header;
  });
}

/** Whole frames from a byte stream, in order; a partial frame waits for the next chunk. As ws reads a socket:
 * a frame within one read is a view into it, and only a frame cut across two reads is copied, alone (not the
 * whole read behind it: a copy of every 64 KB read would double the bytes allocated outside V8's heap, which
 * V8 counts against the old generation's room, so it brings mark-compacts forward in proportion to the bytes). */
export class LengthPrefixedDecoder {
  private rest: Buffer = Buffer.alloc(0);

  decode(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    let at = 0;
    if (this.rest.length > 0) {
      at = this.completeRest(chunk);
      if (this.rest.length > 0) return frames;
      frames.push(this.whole as Buffer);
      this.whole = undefined;
    }
    while (chunk.length - at >= LENGTH_BYTES) {
      const n = chunk.readUInt32LE(at);
      if (chunk.length - at - LENGTH_BYTES < n) break;
      frames.push(chunk.subarray(at + LENGTH_BYTES, at + LENGTH_BYTES + n));
      at += LENGTH_BYTES + n;
    }
    // The partial frame copied (a few hundred bytes, from Node's buffer pool): the read's buffer is not kept alive by it.
    if (at < chunk.length) this.rest = Buffer.from(chunk.subarray(at));
    return frames;
  }

  /** Bytes held of a frame not yet whole (0 at the end of a stream that ended on a frame's end). */
  get pendingBytes(): number {
    return this.rest.length;
  }

  /** The frame completed from `rest` and the front of a chunk, once whole. */
  private whole: Buffer | undefined;

  /** Takes what the partial frame in `rest` still needs from the front of `chunk`; returns the bytes taken. When
   * the frame is whole, it is in `whole` and `rest` is empty. */
  private completeRest(chunk: Buffer): number {
    let head = this.rest;
    let at = 0;
    if (head.length < LENGTH_BYTES) {
      at = Math.min(LENGTH_BYTES - head.length, chunk.length);
      head = Buffer.concat([head, chunk.subarray(0, at)]);
      if (head.length < LENGTH_BYTES) {
        this.rest = head;
        return at;
      }
    }
    const need = LENGTH_BYTES + head.readUInt32LE(0) - head.length;
    if (chunk.length - at < need) {
      this.rest = Buffer.concat([head, chunk.subarray(at)]);
      return chunk.length;
    }
    this.whole = Buffer.concat([head, chunk.subarray(at, at + need)]).subarray(LENGTH_BYTES);
    this.rest = Buffer.alloc(0);
    return at + need;
  }
}
