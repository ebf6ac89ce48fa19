import { describe, expect, it } from 'vitest';
import type { WireEquityPoint, WireFill, WireOrder } from '../api/trading-schemas.ts';
import { drawdownLine, equityLine, fillMarkers, openPositionLines } from './run-chart-data.ts';

const BAR_TIMES = ['14:05', '14:10', '14:15', '14:20', '15:00'].map((t) => Date.parse(`2025-03-17T${t}:00Z`));

function fill(over: Partial<WireFill>): WireFill {
  return {
    fill_id: 'r:1:entry#1',
    client_order_id: 'r:1:entry',
    role: 'entry',
    time: '2025-03-17T14:07:30.000Z',
    side: 'buy',
    qty: 1,
    price: 5000.25,
    fee: '0.62',
    realized_pnl: '0',
    ...over,
  };
}

function order(over: Partial<WireOrder>): WireOrder {
  return {
    client_order_id: 'r:1:sl',
    role: 'stop_loss',
    side: 'sell',
    order_type: 'stop',
    tif: 'gtc',
    qty: 1,
    filled_qty: 0,
    limit_price: null,
    stop_price: 4990,
    status: 'working',
    reason: null,
    revision: 0,
    signal_key: '1',
    created_at: '2025-03-17T14:05:00.000Z',
    updated_at: '2025-03-17T14:05:00.000Z',
    ...over,
  };
}

describe('run chart data', () => {
  it('puts each fill on the bar it filled in (none before the first bar), entries coloured by side, exits grey, in time order', () => {
    const markers = fillMarkers(
      [
        fill({ time: '2025-03-17T14:20:00.000Z', side: 'sell', role: 'take_profit', price: 5010 }),
        fill({}),
        fill({ time: '2025-03-17T15:00:00.000Z', side: 'sell', role: 'entry' }),
        fill({ time: '2025-03-17T14:00:00.000Z' }), // before the first bar shown
      ],
      BAR_TIMES,
    );
    expect(markers.map((m) => [new Date(m.time * 1000).toISOString(), m.kind, m.shape, m.position, m.text])).toEqual([
      ['2025-03-17T14:05:00.000Z', 'entry', 'arrowUp', 'belowBar', 'Long 1 @ 5000.25'],
      ['2025-03-17T14:20:00.000Z', 'exit', 'arrowDown', 'aboveBar', 'TP 1 @ 5010'],
      ['2025-03-17T15:00:00.000Z', 'entry', 'arrowDown', 'aboveBar', 'Short 1 @ 5000.25'],
    ]);
    expect(markers[1]?.color).toBe('#6b7280');
  });

  it('draws SL/TP lines of working legs only while a position is open', () => {
    const orders = [
      order({}),
      order({ client_order_id: 'r:1:tp1', role: 'take_profit', order_type: 'limit', limit_price: 5010, stop_price: null }),
      order({ client_order_id: 'r:0:sl', status: 'cancelled', stop_price: 4980 }),
      order({ client_order_id: 'r:1:entry', role: 'entry', order_type: 'market', stop_price: null, status: 'filled' }),
    ];
    const open = [{ contract_id: 'X', qty: 1, avg_price: 5000.25, realized_pnl: '0', updated_at: '2025-03-17T14:05:00.000Z' }];
    expect(openPositionLines(open, orders)).toEqual([
      { price: 4990, kind: 'stop_loss', title: 'SL 4990' },
      { price: 5010, kind: 'take_profit', title: 'TP 5010' },
    ]);
    expect(openPositionLines([{ ...open[0]!, qty: 0 }], orders)).toEqual([]);
  });

  it('turns equity points into equity and underwater lines in seconds', () => {
    const p = (time: string, equity: string, drawdown: string): WireEquityPoint => ({
      time,
      cash: equity,
      equity,
      position_value: '0',
      unrealized_pnl: '0',
      realized_pnl: '0',
      fees: '0',
      margin_used: '0',
      position: 0,
      drawdown,
    });
    const points = [p('2025-03-17T14:00:00.000Z', '10000', '0'), p('2025-03-17T14:05:00.000Z', '9987.5', '12.5')];
    expect(equityLine(points)).toEqual([
      { time: 1742220000, value: 10000 },
      { time: 1742220300, value: 9987.5 },
    ]);
    expect(drawdownLine(points).map((x) => x.value)).toEqual([-0, -12.5]);
  });
});
