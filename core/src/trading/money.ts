// Money: exact integer amounts in units of 10⁻⁸ of the quote currency, and their exact decimal text.
//
// Why integers and not a decimal library: every price the engine handles is a whole number of ticks and
// every quantity a whole number of steps, so a fill's notional and a lot's PnL are integer products
// (ticks × steps × units per tick-step) — exact with plain numbers, and fast enough for millions of bars
// per second, which a decimal object per bar is not. 10⁻⁸ (a satoshi of the currency) is fine enough
// that one tick × one step of every instrument we trade is a whole number of units (MES: 125,000,000;
// BTC at 0.01 × 0.00001: 10). Plain numbers stay exact up to 2⁵³ units ≈ 90 million of the currency;
// the account checks that bound and throws rather than round silently.
import { TradingError } from './trading-error.ts';

/** An amount of money in units of 10⁻⁸ of the quote currency (always an integer). */
export type Money = number;

export const MONEY_SCALE = 100_000_000;
const UNITS_PER_CENT = MONEY_SCALE / 100;

/** A currency amount as written in config (e.g. 1.25) → units; throws when it is finer than 10⁻⁸. */
export function toMoney(amount: number, what: string): Money {
  const units = Math.round(amount * MONEY_SCALE);
  if (Math.abs(units - amount * MONEY_SCALE) > 1e-6 * Math.max(1, Math.abs(units))) {
    throw new TradingError('invalid_money', `${what}: ${amount} is finer than 10⁻⁸`);
  }
  assertSafeMoney(units, what);
  return units;
}

/** Units → the currency as a number (for ratios and display; not for bookkeeping). */
export function moneyToNumber(units: Money): number {
  return units / MONEY_SCALE;
}

/** Units rounded half away from zero to whole cents (the figure "to the cent" compares). */
export function moneyToCents(units: Money): number {
  const sign = units < 0 ? -1 : 1;
  const abs = Math.abs(units);
  const cents = Math.floor(abs / UNITS_PER_CENT);
  const rest = abs - cents * UNITS_PER_CENT;
  return sign * (rest * 2 >= UNITS_PER_CENT ? cents + 1 : cents);
}

/** Exact decimal text of an amount, e.g. 125000000 → "1.25" (a numeric column takes it as is). */
export function formatMoney(units: Money): string {
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  const whole = Math.floor(abs / MONEY_SCALE);
  const frac = String(abs - whole * MONEY_SCALE)
    .padStart(8, '0')
    .replace(/0+$/, '');
  return `${sign}${whole}${frac ? `.${frac}` : ''}`;
}

/** `numerator / denominator` rounded half up, exact for any size (BigInt; called per fill, not per bar). */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): Money {
  const q = numerator / denominator;
  const r = numerator - q * denominator;
  return Number(r * 2n >= denominator ? q + 1n : q);
}

export function assertSafeMoney(units: Money, what: string): void {
  if (!Number.isSafeInteger(units)) {
    throw new TradingError('money_overflow', `${what}: ${units} units is beyond the exact range (±2⁵³ units of 10⁻⁸)`);
  }
}
