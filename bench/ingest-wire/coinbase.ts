// Coinbase Advanced Trade market_trades frames: 250 ms of trades per message (the venue's batching), newest
// first, parsed by the provider's parseStreamMessage.
import type { Trade } from '../../core/src/index.ts';
import { parseStreamMessage } from '../../ingester/src/providers/coinbase/coinbase-stream-message.ts';
import type { WireFormatFactory } from './wire-format.ts';

/** The venue collects trades over 250 ms and sends them together. */
const BATCH_MS = 250;
/** A live product's trade ids have 9 digits and more (hundreds of millions for BTC-USD): past the 7 digits
 * whose number V8 caches in a string, so reading one back is a parse, as it is live. */
const FIRST_TRADE_ID = 800_000_001;

export const coinbaseWire: WireFormatFactory = (contracts) => {
  const products = new Set(contracts);
  let sequence = 0;
  let tradeId = FIRST_TRADE_ID;
  const wireTrade = (t: Trade) => ({
    trade_id: String(tradeId++),
    product_id: t.contractId,
    price: String(t.price),
    size: String(t.volume),
    side: t.side === 'buy' ? 'BUY' : 'SELL',
    time: new Date(t.time).toISOString(),
  });
  const frame = (trades: readonly Trade[]): string =>
    JSON.stringify({
      channel: 'market_trades',
      client_id: '',
      timestamp: new Date(trades.at(-1)?.time ?? 0).toISOString(),
      sequence_num: sequence++,
      events: [{ type: 'update', trades: trades.map(wireTrade).reverse() }],
    });
  return {
    makeFrames(trades) {
      const frames: string[] = [];
      let batch: Trade[] = [];
      for (const t of trades) {
        const first = batch[0];
        if (first && Math.floor(t.time / BATCH_MS) !== Math.floor(first.time / BATCH_MS)) {
          frames.push(frame(batch));
          batch = [];
        }
        batch.push(t);
      }
      if (batch.length > 0) frames.push(frame(batch));
      return frames;
    },
    parseFrame(bytes) {
      const message = parseStreamMessage(bytes, products);
      if (message.kind !== 'trades') throw new Error(`coinbase frame not parsed as trades: ${JSON.stringify(message).slice(0, 300)}`);
      return message.trades;
    },
  };
};
