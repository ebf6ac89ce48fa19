// Alpaca's wire for bench:ingest: trades as the stock stream frames them (JSON arrays of {"T":"t"}
// messages), and the parser the provider itself uses (parseAlpacaFrame).
import type { Trade } from '../../core/src/index.ts';
import { parseAlpacaFrame } from '../../ingester/src/providers/alpaca/alpaca-frame.ts';

export const name = 'alpaca';

/** Frames of `perFrame` trade messages each (Alpaca batches data points when the client lags). */
export function makeFrames(trades: readonly Trade[], perFrame = 1): string[] {
  const frames: string[] = [];
  for (let i = 0; i < trades.length; i += perFrame) {
    frames.push(
      JSON.stringify(
        trades.slice(i, i + perFrame).map((t, k) => ({
          T: 't',
          S: t.contractId,
          i: i + k + 1,
          x: 'V',
          p: t.price,
          s: t.volume,
          c: ['@'],
          t: new Date(Math.floor(t.time)).toISOString(),
          z: 'C',
        })),
      ),
    );
  }
  return frames;
}

/** The trades of one frame, parsed exactly as the live provider parses them. */
export function parseFrame(text: string): readonly Trade[] {
  return parseAlpacaFrame(text).trades;
}
