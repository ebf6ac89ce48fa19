import { describe, expect, it } from 'vitest';
import { schemaStreamMessage } from './coinbase-stream-message.ts';
import { fastMarketTrades } from './coinbase-trades-fast-path.ts';

const products = new Set(['BTC-USD', 'ETH-USD']);
const good = {
  trade_id: '12',
  product_id: 'BTC-USD',
  price: '64000.5',
  size: '0.125',
  side: 'BUY',
  time: '2024-01-01T00:00:00.123456789Z',
};
const frame = (trades: unknown[], extra: Record<string, unknown> = {}) => ({
  channel: 'market_trades',
  client_id: '',
  timestamp: '2024-01-01T00:00:01Z',
  sequence_num: 7,
  events: [{ type: 'update', trades }],
  ...extra,
});

describe('fastMarketTrades', () => {
  it('gives what the zod schemas give on good frames, in id order', () => {
    const frames = [
      frame([good]),
      frame([{ ...good, trade_id: '14', side: 'SELL', product_id: 'ETH-USD' }, { ...good, trade_id: '13' }, good]),
      frame([good, { ...good, trade_id: '11' }, { ...good, trade_id: '13' }]),
      frame([{ ...good, time: '2024-01-01T00:00:00Z', size: '0' }]),
      { ...frame([good]), events: [{ type: 'snapshot', trades: [good] }] },
    ];
    for (const f of frames) {
      const fast = fastMarketTrades(f, products);
      expect(fast).toBeDefined();
      expect({ kind: 'trades', ...fast }).toEqual(schemaStreamMessage(f, products, JSON.stringify(f)));
    }
    expect(fastMarketTrades(frames[1], products)?.trades.map((t) => t.tradeId)).toEqual([12, 13, 14]);
  });

  it('vouches for nothing the schemas reject: zod then names the problem', () => {
    const bad = [
      frame([{ ...good, price: '-1' }]),
      frame([{ ...good, price: '0' }]),
      frame([{ ...good, price: '1e5' }]),
      frame([{ ...good, size: 'x' }]),
      frame([{ ...good, side: 'buy' }]),
      frame([{ ...good, trade_id: 'abc' }]),
      frame([{ ...good, product_id: 'DOGE-USD' }]),
      frame([{ ...good, time: '2024-01-01 00:00:00' }]),
      frame([{ ...good, time: 5 }]),
      frame([null]),
      frame([good], { sequence_num: -1 }),
      frame([good], { sequence_num: 1.5 }),
      frame([good], { events: [{ type: 'delta', trades: [good] }] }),
      frame([good], { events: {} }),
    ];
    for (const f of bad) {
      expect(fastMarketTrades(f, products)).toBeUndefined();
      expect(schemaStreamMessage(f, products, JSON.stringify(f)).kind).toBe('rejected');
    }
  });

  it('leaves other channels to the schemas', () => {
    expect(fastMarketTrades({ ...frame([]), channel: 'ticker' }, products)).toBeUndefined();
    expect(fastMarketTrades('market_trades', products)).toBeUndefined();
  });
});
