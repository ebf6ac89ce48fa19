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

/** Whole frames from a byte stream, in order; a partial frame waits for the next chunk. */
export class LengthPrefixedDecoder {
  private rest: Buffer = Buffer.alloc(0);

  decode(chunk: Buffer): Buffer[] {
    const buf = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    const frames: Buffer[] = [];
    let at = 0;
    while (buf.length - at >= LENGTH_BYTES) {
      const n = buf.readUInt32LE(at);
      if (buf.length - at - LENGTH_BYTES < n) break;
      frames.push(buf.subarray(at + LENGTH_BYTES, at + LENGTH_BYTES + n));
      at += LENGTH_BYTES + n;
    }
    // The partial frame copied: the read's buffer is not kept alive by it.
    this.rest = at === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(at));
    return frames;
  }

  /** Bytes held of a frame not yet whole (0 at the end of a stream that ended on a frame's end). */
  get pendingBytes(): number {
    return this.rest.length;
  }
}
