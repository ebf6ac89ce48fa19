import { describe, expect, it } from 'vitest';
import { formatMoney, moneyToCents, moneyToNumber } from './money.ts';
import {
  BTC_EMA_CROSS,
  bar,
  config,
  fills,
  finalOrders,
  MES_TREND_START,
  MINUTE,
  ofType,
  plainFuture,
  run,
  signal,
  T0,
} from './test-fixtures.ts';

describe('a signal-driven MES run (SL 8 / TP 16 ticks, 1 tick slippage, $0.62 per side)', () => {
  const cfg = config(MES_TREND_START);

  it('enters at the next open + slippage, and the take-profit closes it at its price', () => {
    const events = run(cfg, [
      bar(0, [5000, 5001, 4999, 5000]),
      signal(0, 'uptrend_start'),
      bar(1, [5000, 5002, 4999.5, 5001]), // entry at 5000 + 0.25 = 5000.25; SL 4998.25, TP 5004.25
      bar(2, [5001, 5004.5, 5000, 5004]), // high 5004.5 ≥ TP 5004.25: filled at 5004.25
    ]);
    const f = fills(events);
    expect(f.map((x) => [x.clientOrderId, x.side, x.qty, x.price])).toEqual([
      ['r:s0:entry', 'buy', 1, 5000.25],
      ['r:s0:tp1', 'sell', 1, 5004.25],
    ]);
    // 16 ticks × $1.25 = $20.00, fees 2 × $0.62.
    const [trade] = ofType(events, 'trade');
    expect(moneyToNumber(trade!.pnl)).toBe(18.76);
    expect(moneyToNumber(trade!.fees)).toBe(1.24);
    const sl = ofType(events, 'order').filter((o) => o.order.clientOrderId === 'r:s0:sl');
    expect(sl.at(-1)!.order).toMatchObject({ status: 'cancelled', reason: 'oco', stopPrice: 4998.25 });
    expect(moneyToNumber(ofType(events, 'equity').at(-1)!.equity)).toBe(10_018.76);
  });
});

describe('a signal-driven crypto run (BTC, 10% of equity, SL 1%, TP ladder 1% / 2%, 10 bps fees, 1 bps slippage)', () => {
  it('sizes from equity, splits the ladder, stops out on a gap, and books every fee to 10⁻⁸', () => {
    const events = run(config(BTC_EMA_CROSS), [
      bar(0, [50_000, 50_010, 49_990, 50_000]),
      signal(0, 'buy'),
      bar(1, [50_010, 50_100, 49_990, 50_050]), // entry 0.02 at 50,010 + ⌈500.1⌉ ticks = 50,015.01
      bar(2, [50_050, 50_600, 50_000, 50_550]), // tp1 (50,515.01) takes 0.01
      bar(3, [49_400, 49_450, 49_300, 49_350]), // gap below the stop (49,515.01): 49,400 − 494 ticks = 49,395.06
    ]);
    expect(fills(events).map((f) => [f.clientOrderId, f.side, f.qty, f.price, f.fee, f.realizedPnl])).toEqual([
      ['r:s0:entry', 'buy', 0.02, 50_015.01, 100_030_020, 0],
      ['r:s0:tp1', 'sell', 0.01, 50_515.01, 50_515_010, 500_000_000],
      ['r:s0:sl', 'sell', 0.01, 49_395.06, 49_395_060, -619_950_000],
    ]);
    expect(finalOrders(events)['r:s0:tp2']).toMatchObject({ status: 'cancelled', reason: 'oco', limitPrice: 51_015.01 });
    const [trade] = ofType(events, 'trade');
    expect(trade).toMatchObject({ side: 'long', qty: 0.02, pnl: -319_890_090, fees: 199_940_090 });
    const last = ofType(events, 'equity').at(-1)!;
    expect(formatMoney(last.equity)).toBe('9996.8010991');
    expect(moneyToCents(last.equity)).toBe(999_680);
  });
});

describe('signals against the position, ATR stops and risk sizing', () => {
  it('an opposite entry with on_opposite_signal reverse exits and enters the other way at the next open', () => {
    const events = run(config(MES_TREND_START, { exits: { on_opposite_signal: 'reverse' }, slippage: { ticks: 0 } }), [
      bar(0, [5000, 5001, 4999, 5000]),
      signal(0, 'uptrend_start'),
      bar(1, [5000, 5001, 4999, 5000]),
      signal(1, 'uptrend_start'), // same direction: ignored (no pyramiding)
      signal(1, 'downtrend_start', 's1b'),
      bar(2, [5002, 5003, 5001, 5002]),
    ]);
    expect(fills(events).map((f) => [f.clientOrderId, f.side, f.price])).toEqual([
      ['r:s0:entry', 'buy', 5000],
      ['r:s1b:exit', 'sell', 5002],
      ['r:s1b:entry', 'sell', 5002],
    ]);
    expect(ofType(events, 'position').at(-1)!.qty).toBe(-1);
    expect(ofType(events, 'trade')).toHaveLength(1);
  });

  it('risk sizing: 1% of equity to an ATR(2) × 2 stop; no entry before ATR is ready', () => {
    const cfg = plainFuture({ sizing: { type: 'risk', percent: 1 }, exits: { stop_loss: { atr: 2, atr_period: 2 } } });
    const events = run(cfg, [
      bar(0, [5000, 5002, 4998, 5000]),
      signal(0, 'uptrend_start'), // ATR not ready: nothing
      bar(1, [5000, 5003, 4999, 5001]), // TR 4
      bar(2, [5001, 5004, 5000, 5002]), // TR 4: ATR 4 → stop 8 points = 32 ticks = $40 a contract
      signal(2, 'uptrend_start'),
      bar(3, [5002, 5003, 5001, 5002]),
    ]);
    expect(fills(events).map((f) => [f.clientOrderId, f.qty, f.price])).toEqual([['r:s2:entry', 2, 5002]]);
    expect(finalOrders(events)['r:s2:sl']).toMatchObject({ status: 'working', qty: 2, stopPrice: 4994 });
    expect(Object.keys(finalOrders(events))).toEqual(['r:s2:entry', 'r:s2:sl']);
  });
});

describe('guards on orders', () => {
  it('an entry needing more initial margin than the equity is rejected (the run goes on)', () => {
    const events = run(plainFuture({ sizing: { type: 'fixed', qty: 7 } }), [
      bar(0, [5000, 5001, 4999, 5000]),
      signal(0, 'uptrend_start'),
      bar(1, [5000, 5001, 4999, 5000]),
    ]);
    expect(finalOrders(events)['r:s0:entry']).toMatchObject({ status: 'rejected', reason: 'insufficient_margin', qty: 7 });
    expect(ofType(events, 'halt')).toEqual([]);
  });

  it('an exit overtaken by its take-profit (tick model latency) is cancelled, never opening the other side', () => {
    const cfg = plainFuture({
      fill_model: { type: 'tick', seed: 7 },
      signals: { analyzer_id: 'a', map: { uptrend_start: 'entry_long', flat_now: 'exit' } },
      exits: { take_profit: [{ ticks: 16 }] },
    });
    const t = T0 + MINUTE;
    const events = run(cfg, [
      bar(0, [5000, 5001, 4999, 5000]),
      { kind: 'signal', key: 'in', type: 'uptrend_start', time: t },
      { kind: 'trade', time: t + 1000, price: 5000, size: 1 }, // entry
      { kind: 'signal', key: 'out', type: 'flat_now', time: t + 1500 }, // exit, acknowledged ≥ 50 ms later
      { kind: 'trade', time: t + 1520, price: 5004, size: 1 }, // the take-profit first
      { kind: 'trade', time: t + 2000, price: 5003, size: 1 },
    ]);
    expect(fills(events).map((f) => [f.clientOrderId, f.price])).toEqual([
      ['r:in:entry', 5000],
      ['r:in:tp1', 5004],
    ]);
    expect(finalOrders(events)['r:out:exit']).toMatchObject({ status: 'cancelled', reason: 'reduce_only' });
    expect(ofType(events, 'position').at(-1)!.qty).toBe(0);
  });
});
