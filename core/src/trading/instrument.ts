// Instrument arithmetic: prices as whole ticks, quantities as whole steps, and the money one tick × one
// step is worth — the integer grid every fill, lot and PnL figure of the engine lives on.
import { type Money, MONEY_SCALE } from './money.ts';
import type { InstrumentSpec } from './run-config-schema.ts';
import { TradingError } from './trading-error.ts';

export interface Instrument {
  readonly kind: 'future' | 'crypto';
  readonly tickSize: number;
  /** Quantity of one step (futures: 1 contract). */
  readonly qtyStep: number;
  /** Money of a one-tick move on a one-step quantity (MES: 1.25 → 125,000,000 units). */
  readonly unitsPerTickStep: Money;
  /** Futures: initial margin per step (contract); crypto: 0 (margin is notional / leverage). */
  readonly marginPerStep: Money;
  /** Crypto: margin = notional / leverage; futures: 0. */
  readonly leverage: number;
}

export function instrumentFromSpec(spec: InstrumentSpec): Instrument {
  const qtyStep = spec.kind === 'future' ? 1 : spec.qty_step;
  // A crypto pair's tick is worth tick_size per coin; a future's is its tick_value per contract.
  const perTickStep = spec.kind === 'future' ? spec.tick_value * MONEY_SCALE : spec.tick_size * qtyStep * MONEY_SCALE;
  const unitsPerTickStep = Math.round(perTickStep);
  if (unitsPerTickStep < 1 || Math.abs(unitsPerTickStep - perTickStep) > 1e-6 * unitsPerTickStep) {
    throw new TradingError('invalid_run_config', `instrument: one tick × one step is ${perTickStep} units, not a whole number of 10⁻⁸`);
  }
  return {
    kind: spec.kind,
    tickSize: spec.tick_size,
    qtyStep,
    unitsPerTickStep,
    marginPerStep: spec.kind === 'future' ? Math.round(spec.initial_margin * MONEY_SCALE) : 0,
    leverage: spec.kind === 'crypto' ? spec.leverage : 1,
  };
}

/** Price → nearest whole tick. */
export function toTicks(instrument: Instrument, price: number): number {
  return Math.round(price / instrument.tickSize);
}

/** Whole ticks → price: the same number for the same ticks everywhere (bitwise equal across runs). */
export function tickPrice(instrument: Instrument, ticks: number): number {
  // Dividing by the inverse keeps 0.25-type ticks exact and rounds 0.01-type ticks the way prices are written.
  const inverse = Math.round(1 / instrument.tickSize);
  return Math.abs(inverse * instrument.tickSize - 1) < 1e-12 ? ticks / inverse : ticks * instrument.tickSize;
}

/** Quantity → whole steps (rounded down: never trade more than asked). */
export function toSteps(instrument: Instrument, qty: number): number {
  return Math.floor(qty / instrument.qtyStep + 1e-9);
}

export function stepsToQty(instrument: Instrument, steps: number): number {
  const inverse = Math.round(1 / instrument.qtyStep);
  return Math.abs(inverse * instrument.qtyStep - 1) < 1e-12 ? steps / inverse : steps * instrument.qtyStep;
}

/** Notional of `steps` at `ticks` (crypto: price × qty; futures: price × multiplier × contracts). */
export function notional(instrument: Instrument, ticks: number, steps: number): Money {
  return ticks * steps * instrument.unitsPerTickStep;
}
