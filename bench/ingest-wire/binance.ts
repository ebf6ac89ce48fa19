// Binance combined-stream <symbol>@trade frames: one trade per message, parsed by the provider's parseStreamMessage.
import { parseStreamMessage } from '../../ingester/src/providers/binance/binance-stream-message.ts';
import type { WireFormatFactory } from './wire-format.ts';

/** Binance symbols are alphanumeric: the bench's contract ids with the dot removed. */
const symbolOf = (contractId: string): string => contractId.replace(/[^A-Z0-9]/g, '');

export const binanceWire: WireFormatFactory = (contracts) => {
  const symbols = new Set(contracts.map(symbolOf));
  const contractOf = new Map(contracts.map((c) => [symbolOf(c), c]));
  let tradeId = 1;
  return {
    makeFrames: (trades) =>
      trades.map((t) => {
        const s = symbolOf(t.contractId);
        const data = {
          e: 'trade',
          E: Math.floor(t.time),
          s,
          t: tradeId++,
          p: String(t.price),
          q: String(t.volume),
          T: Math.floor(t.time),
          m: t.side === 'sell',
          M: true,
        };
        return JSON.stringify({ stream: `${s.toLowerCase()}@trade`, data });
      }),
    parseFrame(bytes) {
      const event = parseStreamMessage(bytes, false, symbols);
      if (event.kind !== 'trade') throw new Error(`binance frame not parsed as a trade: ${JSON.stringify(event).slice(0, 300)}`);
      // The bench's contracts keep their dotted ids.
      return [{ ...event.trade, contractId: contractOf.get(event.trade.contractId) ?? event.trade.contractId }];
    },
  };
};
