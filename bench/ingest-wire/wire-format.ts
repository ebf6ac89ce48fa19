// A venue's wire format for bench:ingest (BENCH_PROVIDER): the load generator turns market trades into
// the JSON text frames the venue sends, the pipeline process parses them with the provider's real parser.
import type { Trade } from '../../core/src/index.ts';

export interface WireFormat {
  /** The frames the venue would send for these consecutive trades, in order (one JSON text each). */
  makeFrames(trades: readonly Trade[]): string[];
  /** The provider's parser: one frame's bytes, as the socket gives them → the trades it carries (throws on a
   * frame it rejects: a bench bug). */
  parseFrame(frame: Buffer): readonly Trade[];
}

/** Builds a venue's wire format for the given contract ids (the products or symbols subscribed). */
export type WireFormatFactory = (contracts: readonly string[]) => WireFormat;
