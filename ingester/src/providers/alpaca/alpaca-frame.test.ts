import { describe, expect, it } from 'vitest';
import { parseAlpacaFrame } from './alpaca-frame.ts';

const T = '2024-03-05T14:30:00.000001Z';
const MS = Date.UTC(2024, 2, 5, 14, 30) + 0.001;

describe('parseAlpacaFrame', () => {
  it('splits a frame into trades, quotes and control messages', () => {
    const frame = parseAlpacaFrame(
      JSON.stringify([
        { T: 'success', msg: 'authenticated' },
        { T: 't', S: 'SPY', i: 7, x: 'V', p: 512.5, s: 30, c: ['@', 'I'], z: 'B', t: T },
        { T: 'q', S: 'SPY', bx: 'V', bp: 512.4, bs: 1, ax: 'V', ap: 0, as: 0, t: T, c: ['R'], z: 'B' },
        { T: 'subscription', trades: ['SPY'], quotes: ['SPY'], bars: [] },
        { T: 'error', code: 406, msg: 'connection limit exceeded' },
        { T: 'c', S: 'SPY', x: 'V', oi: 1, op: 1, os: 1, oc: [], ci: 2, cp: 2, cs: 2, cc: [], z: 'B', t: T },
      ]),
    );
    expect(frame.trades).toEqual([{ contractId: 'SPY', time: MS, price: 512.5, volume: 30, side: 'unknown', tradeId: 'B7' }]);
    // An empty ask side (0) is no ask.
    expect(frame.quotes).toEqual([{ contractId: 'SPY', time: MS, bestBid: 512.4, bestAsk: undefined }]);
    expect(frame.control).toEqual([
      { kind: 'success', msg: 'authenticated' },
      { kind: 'subscription', trades: ['SPY'], quotes: ['SPY'] },
      { kind: 'error', code: 406, msg: 'connection limit exceeded' },
    ]);
    expect(frame.skipped).toBe(1);
    expect(frame.rejected).toEqual([]);
  });

  it('rejects each bad message with a reason naming the field, keeping the good ones of the frame', () => {
    const good = { T: 't', S: 'SPY', i: 1, x: 'V', p: 1.5, s: 2, t: T };
    const frame = parseAlpacaFrame(
      JSON.stringify([good, { ...good, p: 0 }, { ...good, t: 'noon' }, { ...good, S: 'QQQ' }, { T: 'zz' }, 'text']),
      new Set(['SPY']),
    );
    expect(frame.trades).toHaveLength(1);
    expect(frame.rejected.map((r) => r.reason)).toEqual([
      'alpaca: invalid trade: p: must be positive',
      'alpaca: invalid trade: t: not an RFC-3339 timestamp',
      'alpaca: trade of QQQ, not subscribed',
      'alpaca: unknown message type "zz"',
      'alpaca: unknown message type undefined',
    ]);
  });

  it('rejects a frame that is not a JSON array, with a bounded detail', () => {
    expect(parseAlpacaFrame('x'.repeat(10_000)).rejected).toEqual([{ reason: 'alpaca: frame is not JSON', detail: 'x'.repeat(300) }]);
    expect(parseAlpacaFrame('{"T":"t"}').rejected[0]?.reason).toBe('alpaca: frame is not an array of messages');
  });
});
