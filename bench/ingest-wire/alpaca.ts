// Alpaca Market Data v2 stock stream frames: JSON arrays of {"T":"t"} trade messages, parsed by the
// provider's own parseAlpacaFrame (the symbols subscribed given, as the provider gives them).
import type { Trade } from '../../core/src/index.ts';
import { parseAlpacaFrame } from '../../ingester/src/providers/alpaca/alpaca-frame.ts';
import type { WireFormatFactory } from './wire-format.ts';

/** Alpaca's docs (Real-time Stock Data, message format: docs.alpaca.markets/docs/real-time-stock-pricing-data):
 * control messages come one per array; data points "may arrive in arrays that have a length that is
 * greater than one … to facilitate clients whose connection is not fast enough to handle data points sent
 * one by one" (the server buffers for a client that is behind). The throughput runs are a flood, a client
 * behind, so `alpaca` (the figure) sends BATCHED_TRADES per array, the size assumed (the docs give none);
 * `alpaca-single` sends one trade per frame, the parser's worst case (a JSON array per trade), printed
 * beside it, not the figure. */
const BATCHED_TRADES = 10;

/** RFC-3339 with nanoseconds, as the stream sends them; the bench's trade times carry microseconds. */
function alpacaTime(ms: number): string {
  const totalMicros = Math.round(ms * 1000);
  const micros = totalMicros % 1000;
  return `${new Date((totalMicros - micros) / 1000).toISOString().slice(0, -1)}${String(micros).padStart(3, '0')}000Z`;
}

function alpacaWireOf(tradesPerFrame: number): WireFormatFactory {
  return (contracts) => {
    const symbols = new Set(contracts);
    let tradeId = 1;
    const wireTrade = (t: Trade) => ({
      T: 't',
      S: t.contractId,
      i: tradeId++,
      x: 'V',
      p: t.price,
      s: t.volume,
      c: ['@'],
      t: alpacaTime(t.time),
      z: 'C',
    });
    return {
      makeFrames(trades) {
        const frames: string[] = [];
        for (let i = 0; i < trades.length; i += tradesPerFrame)
          frames.push(JSON.stringify(trades.slice(i, i + tradesPerFrame).map(wireTrade)));
        return frames;
      },
      parseFrame(bytes) {
        const frame = parseAlpacaFrame(bytes, symbols);
        const rejected = frame.rejected[0];
        if (rejected) throw new Error(`alpaca frame rejected: ${rejected.reason}: ${rejected.detail}`);
        return frame.trades;
      },
    };
  };
}

export const alpacaWire = alpacaWireOf(BATCHED_TRADES);
export const alpacaSingleWire = alpacaWireOf(1);
