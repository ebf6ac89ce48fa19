import { describe, expect, it } from 'vitest';
import { divideRoundHalfUp, formatMoney, moneyToCents, toMoney } from './money.ts';

describe('money', () => {
  it('converts currency to exact units and back to text and cents', () => {
    expect(toMoney(1.25, 'x')).toBe(125_000_000);
    expect(toMoney(0.62, 'x')).toBe(62_000_000);
    expect(formatMoney(-1_876_000_000)).toBe('-18.76');
    expect(formatMoney(10)).toBe('0.0000001');
    expect(formatMoney(0)).toBe('0');
    expect(moneyToCents(1_234_500_000)).toBe(1235);
    expect(moneyToCents(-1_234_499_999)).toBe(-1234);
  });

  it('names what is finer than 10⁻⁸', () => {
    expect(() => toMoney(0.000000001, 'fees.per_contract')).toThrow('fees.per_contract: 1e-9 is finer than 10⁻⁸');
  });

  it('rounds divisions half up, exactly', () => {
    expect(divideRoundHalfUp(15n, 10n)).toBe(2);
    expect(divideRoundHalfUp(14n, 10n)).toBe(1);
    expect(divideRoundHalfUp(10n ** 20n + 5n, 10n)).toBe(Number(10n ** 19n + 1n));
  });
});
