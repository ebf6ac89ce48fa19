// Known-answer tests of each order type through the engine: MES-like, tick 0.25, $1.25 a tick ($5 a point).
import { describe, expect, it } from 'vitest';
import { runEngine } from './engine-run.ts';
import { moneyToNumber } from './money.ts';
import { bar, command, config, fills, finalOrders, MINUTE, ofType, plainFuture, run, T0 } from './test-fixtures.ts';

const flat = bar(0, [5000, 5001, 4999, 5000]);

describe('orders through the engine', () => {
  it('market: fills at the next bar open; fees per contract per side are booked on each fill', () => {
    const cfg = plainFuture({ fees: { per_contract: 0.62 } });
    const events = run(cfg, [
      flat,
      command(0, { type: 'submit', order: { clientOrderId: 'm1', side: 'buy', type: 'market', qty: 2 } }),
      bar(1, [5002, 5004, 5001, 5003]),
      command(1, { type: 'submit', order: { clientOrderId: 'm2', side: 'sell', type: 'market', qty: 2 } }),
      bar(2, [5005, 5006, 5004, 5005]),
    ]);
    expect(fills(events).map((f) => [f.clientOrderId, f.price, f.qty, moneyToNumber(f.fee)])).toEqual([
      ['m1', 5002, 2, 1.24],
      ['m2', 5005, 2, 1.24],
    ]);
    // +3 points × 2 contracts × $5 = $30, less $2.48 of fees.
    expect(moneyToNumber(ofType(events, 'equity').at(-1)!.equity)).toBe(10_027.52);
    expect(
      ofType(events, 'order')
        .filter((o) => o.order.clientOrderId === 'm1')
        .map((o) => o.order.status),
    ).toEqual(['new', 'working', 'filled']);
  });

  it('limit with a participation cap: partial fills across bars until filled', () => {
    const cfg = plainFuture({ participation: { max_pct_of_volume: 10 } });
    const events = run(cfg, [
      flat,
      command(0, { type: 'submit', order: { clientOrderId: 'l1', side: 'buy', type: 'limit', qty: 5, limitPrice: 4998 } }),
      bar(1, [5000, 5000, 4997, 4999], 20), // 10% of 20 = 2 at 4998
      bar(2, [4999, 5001, 4998.5, 5000], 100), // low 4998.5 > 4998: nothing
      bar(3, [4998, 4999, 4996, 4997], 25), // open at the limit: 2 at 4998
      bar(4, [4997, 4997.5, 4995, 4996], 1000), // open 4997 ≤ 4998: the last 1 at the open
    ]);
    expect(fills(events).map((f) => [f.time, f.price, f.qty])).toEqual([
      [T0 + MINUTE, 4998, 2],
      [T0 + 3 * MINUTE, 4998, 2],
      [T0 + 4 * MINUTE, 4997, 1],
    ]);
    expect(ofType(events, 'order').map((o) => o.order.status)).toEqual([
      'new',
      'working',
      'partially_filled',
      'partially_filled',
      'filled',
    ]);
    expect(ofType(events, 'position').at(-1)).toMatchObject({ qty: 5, avgPrice: (4998 * 4 + 4997) / 5 });
  });

  it('stop: a gap through the stop fills at the open, not at the stop', () => {
    const events = run(plainFuture(), [
      flat,
      command(0, { type: 'submit', order: { clientOrderId: 'long', side: 'buy', type: 'market', qty: 1 } }),
      command(0, { type: 'submit', order: { clientOrderId: 'stop', side: 'sell', type: 'stop', qty: 1, stopPrice: 4995 } }),
      bar(1, [5000, 5002, 4996, 4997]),
      bar(2, [4990, 4992, 4988, 4991]),
    ]);
    expect(fills(events).map((f) => [f.clientOrderId, f.price])).toEqual([
      ['long', 5000],
      ['stop', 4990],
    ]);
    const [trade] = ofType(events, 'trade');
    expect(moneyToNumber(trade!.pnl)).toBe(-50); // 10 points × $5
  });

  it('stop-limit: triggered by the stop, filled at the limit when the bar comes back to it', () => {
    const events = run(plainFuture(), [
      flat,
      command(0, {
        type: 'submit',
        order: { clientOrderId: 'sl', side: 'buy', type: 'stop_limit', qty: 1, stopPrice: 5002, limitPrice: 5001.5 },
      }),
      bar(1, [5000, 5001, 4999, 5000]), // stop not reached
      bar(2, [5001.75, 5003, 5001.75, 5002]), // triggered at 5002, the low 5001.75 never reaches 5001.5
      bar(3, [5002, 5003, 5001, 5001.5]), // a working buy limit at 5001.5 → filled at it
    ]);
    expect(fills(events).map((f) => [f.time, f.price])).toEqual([[T0 + 3 * MINUTE, 5001.5]]);
  });

  it('cancel and replace: a replaced limit fills at its new price; a cancelled one never fills', () => {
    const events = run(plainFuture(), [
      flat,
      command(0, { type: 'submit', order: { clientOrderId: 'a', side: 'buy', type: 'limit', qty: 1, limitPrice: 4990 } }),
      command(0, { type: 'submit', order: { clientOrderId: 'b', side: 'buy', type: 'limit', qty: 1, limitPrice: 4990 } }),
      command(0, { type: 'replace', clientOrderId: 'a', limitPrice: 4995, qty: 2 }),
      command(0, { type: 'cancel', clientOrderId: 'b' }),
      bar(1, [5000, 5000, 4989, 4992]),
    ]);
    expect(fills(events).map((f) => [f.clientOrderId, f.price, f.qty])).toEqual([['a', 4995, 2]]);
    const orders = finalOrders(events);
    expect(orders.a).toMatchObject({ status: 'filled', revision: 1, limitPrice: 4995, qty: 2 });
    expect(orders.b).toMatchObject({ status: 'cancelled', reason: 'cancelled' });
  });

  it('time in force day: expires when the next session starts; GTC keeps working', () => {
    const nextDay = (i: number, ohlc: [number, number, number, number]) => {
      const b = bar(i, ohlc);
      return b.kind === 'bar' ? { ...b, bar: { ...b.bar, time: b.bar.time + 86_400_000 } } : b;
    };
    const events = run(plainFuture(), [
      flat,
      command(0, { type: 'submit', order: { clientOrderId: 'day', side: 'buy', type: 'limit', qty: 1, limitPrice: 4990, tif: 'day' } }),
      command(0, { type: 'submit', order: { clientOrderId: 'gtc', side: 'buy', type: 'limit', qty: 1, limitPrice: 4990 } }),
      bar(1, [5000, 5001, 4995, 4996]),
      nextDay(2, [4992, 4993, 4985, 4986]),
    ]);
    expect(fills(events).map((f) => f.clientOrderId)).toEqual(['gtc']);
    expect(finalOrders(events).day).toMatchObject({ status: 'cancelled', reason: 'day_expired' });
  });

  it('a session-boundary function decides the day: CME-like sessions starting 22:00 UTC', () => {
    const HOUR = 3_600_000;
    const DAY = 86_400_000;
    const sessions = { tradeDate: (ms: number) => Math.floor((ms + 2 * HOUR) / DAY) * DAY, sessionOpen: (d: number) => d - 2 * HOUR };
    const cfg = plainFuture();
    const inputs = [
      {
        kind: 'bar' as const,
        bar: { time: Date.parse('2024-01-02T21:00:00Z'), open: 5000, high: 5001, low: 4999, close: 5000, volume: 10 },
      },
      {
        kind: 'command' as const,
        time: Date.parse('2024-01-02T21:01:00Z'),
        command: {
          type: 'submit' as const,
          order: { clientOrderId: 'day', side: 'buy' as const, type: 'limit' as const, qty: 1, limitPrice: 4990, tif: 'day' as const },
        },
      },
      {
        kind: 'bar' as const,
        bar: { time: Date.parse('2024-01-02T22:00:00Z'), open: 4990, high: 4991, low: 4980, close: 4985, volume: 10 },
      },
    ];
    const utc = run(cfg, inputs);
    expect(fills(utc).map((f) => f.clientOrderId)).toEqual(['day']);
    const cme = runEngine(cfg, { runId: 'r', sessions }, inputs).events;
    expect(fills(cme)).toEqual([]);
    expect(finalOrders(cme).day).toMatchObject({ status: 'cancelled', reason: 'day_expired' });
  });
});

describe('brackets: OCO, the take-profit ladder and the time stop', () => {
  const bracketRun = (exits: unknown, qty = 1) => config({ ...plainFuture(), exits, sizing: { type: 'fixed', qty } } as never);

  it('both SL and TP inside one bar: the stop fills (stop first), the take-profit is cancelled by OCO', () => {
    const cfg = bracketRun({ stop_loss: { ticks: 8 }, take_profit: [{ ticks: 16 }] });
    const events = run(cfg, [
      flat,
      { kind: 'signal', key: 'k', type: 'uptrend_start', time: T0 + MINUTE - 1 },
      bar(1, [5000, 5001, 4999.5, 5000]),
      bar(2, [5000, 5010, 4990, 5005]),
    ]);
    expect(fills(events).map((f) => [f.clientOrderId, f.price])).toEqual([
      ['r:k:entry', 5000],
      ['r:k:sl', 4998],
    ]);
    expect(finalOrders(events)['r:k:tp1']).toMatchObject({ status: 'cancelled', reason: 'oco' });
    expect(moneyToNumber(ofType(events, 'trade')[0]!.pnl)).toBe(-10);
  });

  it('the legs of an entry filled at the open see the rest of that bar', () => {
    const cfg = bracketRun({ stop_loss: { ticks: 8 }, take_profit: [{ ticks: 16 }] });
    const events = run(cfg, [
      flat,
      { kind: 'signal', key: 'k', type: 'uptrend_start', time: T0 + MINUTE - 1 },
      bar(1, [5000, 5004.5, 4999, 5004]),
    ]);
    expect(fills(events).map((f) => [f.clientOrderId, f.time, f.price])).toEqual([
      ['r:k:entry', T0 + MINUTE, 5000],
      ['r:k:tp1', T0 + MINUTE, 5004],
    ]);
  });

  it('a take-profit ladder splits the quantity; each target shrinks the stop, the last cancels it', () => {
    const cfg = bracketRun(
      {
        stop_loss: { ticks: 8 },
        take_profit: [
          { ticks: 4, fraction: 0.5 },
          { ticks: 8, fraction: 0.5 },
        ],
      },
      4,
    );
    const events = run(cfg, [
      flat,
      { kind: 'signal', key: 'k', type: 'uptrend_start', time: T0 + MINUTE - 1 },
      bar(1, [5000, 5000.5, 4999, 5000]),
      bar(2, [5000, 5001.5, 4999.5, 5001]), // tp1 at 5001: 2 contracts
      bar(3, [5001, 5002.5, 5000.5, 5002]), // tp2 at 5002: 2 contracts
    ]);
    expect(fills(events).map((f) => [f.clientOrderId, f.qty, f.price])).toEqual([
      ['r:k:entry', 4, 5000],
      ['r:k:tp1', 2, 5001],
      ['r:k:tp2', 2, 5002],
    ]);
    const sl = ofType(events, 'order')
      .filter((o) => o.order.clientOrderId === 'r:k:sl')
      .map((o) => [o.order.qty, o.order.status, o.order.reason]);
    expect(sl).toEqual([
      [4, 'new', null],
      [4, 'working', null],
      [2, 'working', null],
      [2, 'cancelled', 'oco'],
    ]);
    // 2 × 4 ticks + 2 × 8 ticks = 24 ticks × $1.25.
    expect(moneyToNumber(ofType(events, 'trade')[0]!.pnl)).toBe(30);
  });

  it('time stop: after N closed bars in the position a market exit fills at the next open', () => {
    const cfg = bracketRun({ time_stop_bars: 2 });
    const events = run(cfg, [
      flat,
      { kind: 'signal', key: 'k', type: 'uptrend_start', time: T0 + MINUTE - 1 },
      bar(1, [5000, 5001, 4999, 5000]), // entry
      bar(2, [5000, 5001, 4999, 5000]), // 1 bar held
      bar(3, [5000, 5001, 4999, 5000]), // 2 bars held: time stop placed
      bar(4, [5003, 5004, 5002, 5003]), // filled at the open
    ]);
    expect(fills(events).map((f) => [f.clientOrderId, f.time, f.price])).toEqual([
      ['r:k:entry', T0 + MINUTE, 5000],
      ['r:trip1:time_stop', T0 + 4 * MINUTE, 5003],
    ]);
    expect(ofType(events, 'trade')[0]).toMatchObject({ bars: 3, side: 'long' });
  });
});
