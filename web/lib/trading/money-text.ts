// Money as the API answers it: exact decimal text, from a numeric column (Prisma Decimal) or from the
// engine's integer units of 10⁻⁸ (a stored metricsReport).
import { formatMoney } from '@barstream/core/trading';

/** Decimal → plain decimal text without exponent or trailing zeros ("1.25", "-0.00000001"). */
export function decimalText(value: { toFixed(): string }): string {
  const text = value.toFixed();
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** A report amount: integer units (what metricsReport holds), or decimal text already. */
export function reportMoneyText(value: number | string): string {
  if (typeof value === 'string') return value;
  if (!Number.isSafeInteger(value)) throw new TypeError(`report amount ${value} is not a whole number of 10⁻⁸ units`);
  return formatMoney(value);
}
