// Indicator input guards: parameter validation and the finite-price / bar-order checks shared by streaming and batch code.
import { IndicatorError } from './indicator-error.ts';

/** Largest period accepted anywhere (same upper bound as TA-Lib). */
export const MAX_PERIOD = 100_000;

/** Returns `value` if it is an integer in [min, MAX_PERIOD], else throws INVALID_PARAMS. */
export function checkPeriod(indicator: string, label: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > MAX_PERIOD) {
    throw new IndicatorError(
      'INVALID_PARAMS',
      `${indicator}: ${label} must be an integer in [${min}, ${MAX_PERIOD}], got ${String(value)}`,
    );
  }
  return value;
}

/** Returns `value` if it is a finite number > 0, else throws INVALID_PARAMS. */
export function checkPositive(indicator: string, label: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new IndicatorError('INVALID_PARAMS', `${indicator}: ${label} must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

// The functions below are the cold paths of checks done inline in hot loops; they only build and throw the error.

/** Throws OUT_OF_ORDER_BAR for a bar whose time is not strictly after the last committed bar. */
export function throwOutOfOrder(indicator: string, time: number, lastTime: number): never {
  throw new IndicatorError(
    'OUT_OF_ORDER_BAR',
    `${indicator}: bar time ${String(time)} is not after the last committed bar time ${String(lastTime)}` +
      ' (use preview() for a forming bar; update() only once per closed bar)',
  );
}

/** Throws INVALID_INPUT for a non-finite price; `where` is e.g. "bar time 1700000000000" or "index 12". */
export function throwBadPrice(indicator: string, field: string, value: number, where: string): never {
  throw new IndicatorError('INVALID_INPUT', `${indicator}: ${field} at ${where} is not a finite number (${String(value)})`);
}

/** Throws INVALID_INPUT for a bar whose high is below its low. */
export function throwHighBelowLow(indicator: string, high: number, low: number, where: string): never {
  throw new IndicatorError('INVALID_INPUT', `${indicator}: high ${String(high)} is below low ${String(low)} at ${where}`);
}
