import { formatMoney, metricsReport } from '@barstream/core/trading';
import { describe, expect, it } from 'vitest';
import { durationText, reportRows } from './report-format.ts';
import { decimalText } from './money-text.ts';
import { reportWire } from './report-wire.ts';

const equity = (time: number, units: number) =>
  ({
    type: 'equity',
    time,
    cash: units,
    equity: units,
    positionValue: 0,
    unrealizedPnl: 0,
    realizedPnl: 0,
    fees: 12_345_678,
    marginUsed: 0,
    position: 0,
  }) as const;

describe('the stored report as the API answers it', () => {
  it('turns metricsReport JSON (10⁻⁸ units) into exact decimal text and states the annualisation', () => {
    const stored = JSON.parse(
      JSON.stringify(
        metricsReport([equity(0, 1_000_000_000_001), equity(86_400_000, 999_000_000_000), equity(2 * 86_400_000, 1_020_000_000_000)], {
          startingCapital: 1_000_000_000_000,
        }),
      ),
    ) as unknown;
    const wire = reportWire(stored, 'future');
    expect(wire).toMatchObject({
      net_profit: '200',
      max_drawdown: '10.00000001',
      fees_paid: '0.12345678',
      trades: 0,
      average_win: null,
      annualisation: 'per-session returns × √252 (sessions per year), risk-free rate 0',
    });
    expect(reportWire(stored, 'crypto')?.annualisation).toMatch(/√365/);
    expect(reportRows(wire!).find((r) => r.key === 'max_drawdown')?.value).toBe('10.00000001 (0.10%)');
  });

  it('is null before a report or for another shape, and refuses fractional units', () => {
    expect(reportWire(null, 'future')).toBeNull();
    expect(reportWire({ netProfit: '1' }, 'future')).toBeNull();
    expect(() =>
      reportWire({ ...JSON.parse(JSON.stringify(metricsReport([], { startingCapital: 100 }))), netProfit: 0.5 }, 'future'),
    ).toThrow(/whole number/);
    expect(formatMoney(-1)).toBe('-0.00000001');
  });

  it('writes decimals without exponent or trailing zeros, durations in d/h/m', () => {
    expect(decimalText({ toFixed: () => '1.25000000' })).toBe('1.25');
    expect(decimalText({ toFixed: () => '100' })).toBe('100');
    expect(decimalText({ toFixed: () => '-0.00000001' })).toBe('-0.00000001');
    expect(durationText(3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000)).toBe('3d 4h');
    expect(durationText(2 * 3_600_000 + 15 * 60_000)).toBe('2h 15m');
    expect(durationText(0)).toBe('0m');
  });
});
