// The slice of `compression` (expressjs/compression, which ships no types) that api-gzip.ts uses.
declare module 'compression' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  interface CompressionOptions {
    /** zlib level, 0-9. */
    readonly level?: number;
    /** zlib's output buffer size, in bytes (default 16 KiB). */
    readonly chunkSize?: number;
    /** Smallest body compressed, in bytes. */
    readonly threshold?: number;
  }
  export default function compression(
    options?: CompressionOptions,
  ): (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
}
