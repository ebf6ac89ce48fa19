// Known-answer tests of each risk limit and the kill switch: MES-like, $5 a point, no fees or slippage.
import { describe, expect, it } from 'vitest';
import type { EngineInput } from './engine-events.ts';
import { moneyToNumber } from './money.ts';
import { bar, command, fills, finalOrders, ofType, plainFuture, run, signal } from './test-fixtures.ts';

const flat = bar(0, [5000, 5001, 4999, 5000]);
const buy = (i: number, id: string, qty = 1): EngineInput =>
  command(i, { type: 'submit', order: { clientOrderId: id, side: 'buy', type: 'market', qty } });
const limit = (i: number, id: string, price: number): EngineInput =>
  command(i, { type: 'submit', order: { clientOrderId: id, side: 'buy', type: 'limit', qty: 1, limitPrice: price } });

describe('risk limits halt the run', () => {
  it('max position: the order that would exceed it is rejected and the run halts', () => {
    const events = run(plainFuture({ risk: { max_position: 2 } }), [flat, buy(0, 'big', 3), bar(1, [5000, 5001, 4999, 5000])]);
    expect(finalOrders(events).big).toMatchObject({ status: 'rejected', reason: 'max_position' });
    expect(ofType(events, 'halt')).toEqual([
      expect.objectContaining({ reason: 'max_position', detail: 'position would be 3 steps, max 2' }),
    ]);
    expect(fills(events)).toEqual([]);
  });

  it('max open orders: the order past the limit is rejected, the halt cancels the working ones', () => {
    const events = run(plainFuture({ risk: { max_open_orders: 2 } }), [
      flat,
      limit(0, 'a', 4990),
      limit(0, 'b', 4990),
      limit(0, 'c', 4990),
      bar(1, [5000, 5000, 4980, 4985]),
    ]);
    const orders = finalOrders(events);
    expect(orders.c).toMatchObject({ status: 'rejected', reason: 'max_open_orders' });
    expect(orders.a).toMatchObject({ status: 'cancelled', reason: 'halted' });
    expect(orders.b).toMatchObject({ status: 'cancelled', reason: 'halted' });
    expect(fills(events)).toEqual([]);
  });

  it('max daily loss: halts at the bar that reaches it and flattens at the next open; later signals place nothing', () => {
    const events = run(plainFuture({ risk: { max_daily_loss: 100 } }), [
      flat,
      buy(0, 'long'),
      bar(1, [5000, 5001, 4984, 4985]), // −15 points: −$75
      bar(2, [4985, 4986, 4978, 4979]), // −21 points: −$105 ≥ $100 → halt
      bar(3, [4980, 4982, 4979, 4981]), // flatten at the open, 4980
      signal(3, 'uptrend_start'),
      bar(4, [4981, 4990, 4980, 4989]),
    ]);
    expect(ofType(events, 'halt')).toEqual([
      expect.objectContaining({ reason: 'max_daily_loss', detail: 'lost 105 this session, max 100' }),
    ]);
    expect(fills(events).map((f) => [f.clientOrderId, f.price])).toEqual([
      ['long', 5000],
      ['r:halt:flatten', 4980],
    ]);
    expect(moneyToNumber(ofType(events, 'equity').at(-1)!.equity)).toBe(9_900);
  });

  it('max daily loss counts from the session start: yesterday’s loss does not carry over', () => {
    const tomorrow = (input: EngineInput): EngineInput =>
      input.kind === 'bar' ? { kind: 'bar', bar: { ...input.bar, time: input.bar.time + 86_400_000 } } : input;
    const events = run(plainFuture({ risk: { max_daily_loss: 100, flatten_on_halt: false } }), [
      flat,
      buy(0, 'long'),
      bar(1, [5000, 5001, 4984, 4985]), // −$75 today
      tomorrow(bar(2, [4985, 4986, 4978, 4979])), // −$30 since today's start; −$105 in all: no halt
      tomorrow(bar(3, [4979, 4980, 4964, 4965])), // −$100 since today's start → halt, no flatten
    ]);
    expect(ofType(events, 'halt').map((h) => [h.time, h.reason])).toEqual([[ofType(events, 'equity')[3]!.time, 'max_daily_loss']]);
    expect(fills(events)).toHaveLength(1);
    expect(ofType(events, 'equity').at(-1)!.position).toBe(1);
  });

  it('max drawdown: money below the equity peak', () => {
    const events = run(plainFuture({ risk: { max_drawdown: 50 } }), [
      flat,
      buy(0, 'long'),
      bar(1, [5000, 5021, 4999, 5020]), // peak $10,100
      bar(2, [5020, 5021, 5008, 5010]), // $10,050: drawdown $50 → halt
      bar(3, [5011, 5012, 5009, 5010]),
    ]);
    expect(ofType(events, 'halt')).toEqual([expect.objectContaining({ reason: 'max_drawdown', detail: 'drawdown 50 from peak 10100' })]);
    expect(fills(events).at(-1)).toMatchObject({ clientOrderId: 'r:halt:flatten', price: 5011 });
  });

  it('max drawdown percent of the peak', () => {
    const events = run(plainFuture({ risk: { max_drawdown_pct: 1 } }), [
      flat,
      buy(0, 'long'),
      bar(1, [5000, 5001, 4981, 4981]), // −$95: 0.95%
      bar(2, [4981, 4981, 4979, 4980]), // −$100: 1% → halt
    ]);
    expect(ofType(events, 'halt').map((h) => h.reason)).toEqual(['max_drawdown']);
    expect(ofType(events, 'halt')[0]!.time).toBe(ofType(events, 'equity')[2]!.time);
  });

  it('emergency stop: cancels working orders, flattens at the next open, ignores later signals', () => {
    const events = run(plainFuture(), [
      flat,
      buy(0, 'long'),
      limit(0, 'more', 4990),
      bar(1, [5000, 5001, 4995, 4996]),
      command(1, { type: 'emergency_stop', reason: 'operator' }),
      signal(1, 'uptrend_start'),
      bar(2, [4997, 4998, 4985, 4986]),
    ]);
    expect(ofType(events, 'halt')).toEqual([expect.objectContaining({ reason: 'emergency_stop', detail: 'operator' })]);
    expect(finalOrders(events).more).toMatchObject({ status: 'cancelled', reason: 'halted' });
    expect(fills(events).map((f) => [f.clientOrderId, f.price])).toEqual([
      ['long', 5000],
      ['r:halt:flatten', 4997],
    ]);
    expect(Object.keys(finalOrders(events))).toEqual(['long', 'more', 'r:halt:flatten']);
  });

  it('an emergency stop after a halt without flatten_on_halt flattens what it left open', () => {
    const events = run(plainFuture({ risk: { max_drawdown: 50, flatten_on_halt: false } }), [
      flat,
      buy(0, 'long'),
      bar(1, [5000, 5001, 4989, 4990]), // −$50 → halt, no flatten
      command(1, { type: 'emergency_stop', reason: 'operator' }),
      command(1, { type: 'emergency_stop', reason: 'again' }), // the flatten is already working: not placed twice
      bar(2, [4991, 4992, 4985, 4986]),
    ]);
    expect(ofType(events, 'halt').map((h) => [h.reason, h.detail])).toEqual([
      ['max_drawdown', 'drawdown 50 from peak 10000'],
      ['emergency_stop', 'operator'],
      ['emergency_stop', 'again'],
    ]);
    expect(fills(events).map((f) => [f.clientOrderId, f.price])).toEqual([
      ['long', 5000],
      ['r:halt:flatten', 4991],
    ]);
  });
});
