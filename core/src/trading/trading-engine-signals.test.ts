import { describe, expect, it } from 'vitest';
import { moneyToNumber } from './money.ts';
import { bar, config, fills, MES_TREND_START, ofType, run, signal } from './test-fixtures.ts';

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
