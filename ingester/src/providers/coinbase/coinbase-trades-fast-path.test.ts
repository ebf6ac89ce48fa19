import { describe, expect, it } from 'vitest';
import { seededRandom } from '../seeded-random.ts';
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
    // A leading zero keeps the id's text (String(7) is not "007"), on both paths.
    const zero = frame([{ ...good, trade_id: '007' }]);
    expect(fastMarketTrades(zero, products)?.trades.map((t) => t.tradeId)).toEqual(['007']);
    expect(schemaStreamMessage(zero, products, JSON.stringify(zero))).toMatchObject({ trades: [{ tradeId: '007' }] });
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

/** Values every trade field is tried with: good ones, wrong types, and the strings a decimal or time must refuse. */
const CANDIDATES: readonly unknown[] = [
  undefined,
  null,
  true,
  0,
  1.5,
  Number.NaN,
  [],
  {},
  '',
  '0',
  '12',
  '007',
  '64000.5',
  '0.125',
  '1234567890123456789.25',
  '0.0000000000000000001',
  'NaN',
  'Infinity',
  '-1',
  '+1',
  '1e5',
  '.5',
  '5.',
  '1.2.3',
  ' 1',
  '1 ',
  '٣',
  'BUY',
  'SELL',
  'buy',
  'BTC-USD',
  'ETH-USD',
  'DOGE-USD',
  '2024-01-01T00:00:00.123456789Z',
  '2024-01-01T00:00:59Z',
  '2024-01-01T00:00:60Z',
  '2024-01-01T23:59:59.9Z',
  '2024-02-29T12:00:00.5Z',
  '2023-02-29T12:00:00Z',
  '2024-01-01T24:00:00Z',
  '2024-01-01T00:00:00.Z',
  '2024-01-01T00:00:00.1234567890Z',
  '2024-01-01T00:00:00z',
  '2024-01-01T00:00:00',
  '2024-01-01T01:00:00.5+01:00',
  '2024-01-01 00:00:00Z',
];
const FIELDS = ['trade_id', 'product_id', 'price', 'size', 'side', 'time'] as const;

/** What the zod path makes of a one-trade frame: its trades, or undefined when it rejects the frame. */
function viaZod(trade: unknown): unknown {
  const f = frame([trade]);
  const message = schemaStreamMessage(f, products, JSON.stringify(f));
  return message.kind === 'trades' ? message.trades : undefined;
}

describe('fastMarketTrades against the zod path, field by field', () => {
  it('a missing field, a wrong type, a NaN or infinite price, a bad time: declined exactly when zod rejects, equal when not', () => {
    let accepted = 0;
    let declined = 0;
    for (const field of FIELDS) {
      for (const value of CANDIDATES) {
        const trade: Record<string, unknown> = { ...good, [field]: value };
        if (value === undefined) delete trade[field];
        const label = `${field} = ${JSON.stringify(value)}`;
        const fast = fastMarketTrades(frame([trade]), products);
        expect([label, fast?.trades]).toEqual([label, viaZod(trade)]);
        if (fast) accepted++;
        else declined++;
      }
    }
    // Both sides of the rule were exercised.
    expect(accepted).toBeGreaterThan(20);
    expect(declined).toBeGreaterThan(150);
  });

  it('agrees on random trades mixing good and bad fields (seeded)', () => {
    const random = seededRandom(23);
    const pick = () => CANDIDATES[Math.floor(random() * CANDIDATES.length)];
    let accepted = 0;
    for (let k = 0; k < 2_000; k++) {
      const trade: Record<string, unknown> = { ...good };
      // Keep most fields good so that accepted trades occur.
      for (const field of FIELDS) if (random() < 0.3) trade[field] = pick();
      const fast = fastMarketTrades(frame([trade]), products)?.trades;
      const zod = viaZod(trade);
      // expect() only on a difference: thousands of deep comparisons would make this the slowest unit test.
      if (JSON.stringify(fast) !== JSON.stringify(zod)) expect([JSON.stringify(trade), fast]).toEqual([JSON.stringify(trade), zod]);
      if (fast) accepted++;
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it('reads decimals as Number() does, to the last bit', () => {
    const random = seededRandom(5);
    for (let k = 0; k < 2_000; k++) {
      const digits = String(Math.floor(random() * 1e15)).padStart(1 + Math.floor(random() * 15), '0');
      const dot = Math.floor(random() * digits.length);
      const text = dot === 0 ? digits : `${digits.slice(0, dot)}.${digits.slice(dot)}`;
      const volume = fastMarketTrades(frame([{ ...good, size: text, price: '1' }]), products)?.trades[0]?.volume;
      if (volume !== Number(text)) expect([text, volume]).toEqual([text, Number(text)]);
    }
  });
});
