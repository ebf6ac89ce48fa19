// The tick fill model: fills on the first trade or quote after the seeded acknowledgement latency.
import { describe, expect, it } from 'vitest';
import type { EngineInput } from './engine-events.ts';
import { SeededRandom } from './seeded-random.ts';
import { bar, fills, plainFuture, run, T0 } from './test-fixtures.ts';

const cfg = plainFuture({ fill_model: { type: 'tick', seed: 7 }, slippage: { ticks: 1 } });
const t = T0 + 60_000; // after bar 0
const submit = (time: number, id: string, side: 'buy' | 'sell', type: 'market' | 'limit', limitPrice?: number): EngineInput => ({
  kind: 'command',
  time,
  command: { type: 'submit', order: { clientOrderId: id, side, type, qty: 1, ...(limitPrice === undefined ? {} : { limitPrice }) } },
});
const trade = (time: number, price: number): EngineInput => ({ kind: 'trade', time, price, size: 5 });

describe('tick fill model', () => {
  const rng = new SeededRandom(7);
  const first = rng.integer(50, 100);
  const second = rng.integer(50, 100);

  it('draws latencies of 50–100 ms from the seed', () => {
    expect(first).toBeGreaterThanOrEqual(50);
    expect(first).toBeLessThanOrEqual(100);
    expect([first, second]).toEqual(
      (() => {
        const again = new SeededRandom(7);
        return [again.integer(50, 100), again.integer(50, 100)];
      })(),
    );
  });

  it('a market order fills on the first trade at or after its acknowledgement, ± slippage; a quote fills at the bid/ask', () => {
    const events = run(cfg, [
      bar(0, [5000, 5001, 4999, 5000]),
      submit(t, 'm1', 'buy', 'market'),
      trade(t + first - 1, 5000), // not acknowledged yet
      trade(t + first, 5000.5), // 5000.5 + 1 tick
      submit(t + first + 1, 'm2', 'sell', 'market'),
      { kind: 'quote', time: t + first + 1 + second, bid: 5001, ask: 5001.25 },
      trade(t + first + 2 + second, 4999),
    ]);
    expect(fills(events).map((f) => [f.clientOrderId, f.time, f.price])).toEqual([
      ['m1', t + first, 5000.75],
      ['m2', t + first + 1 + second, 5001],
    ]);
  });

  it('a limit fills at the market on its first eligible print when marketable, later only at the limit', () => {
    const events = run(cfg, [
      bar(0, [5000, 5001, 4999, 5000]),
      submit(t, 'l1', 'buy', 'limit', 5001),
      trade(t + first, 5000.5), // marketable on arrival: at the print
      submit(t + first, 'l2', 'buy', 'limit', 4999),
      trade(t + first + second, 5000), // acknowledged, not reached
      trade(t + first + second + 1, 4998), // through the limit: at the limit
    ]);
    expect(fills(events).map((f) => [f.clientOrderId, f.price])).toEqual([
      ['l1', 5000.5],
      ['l2', 4999],
    ]);
  });

  it('bars do not fill in the tick model, and trades do not fill in the bar model', () => {
    const inputs = [bar(0, [5000, 5001, 4999, 5000]), submit(t, 'm', 'buy', 'market'), bar(1, [5000, 5002, 4998, 5001])];
    expect(fills(run(cfg, inputs))).toEqual([]);
    const barModel = plainFuture();
    expect(fills(run(barModel, [inputs[0]!, inputs[1]!, trade(t + 500, 5000), inputs[2]!])).map((f) => f.price)).toEqual([5000]);
  });
});
