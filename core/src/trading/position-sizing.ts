// Position sizing: fixed quantity, percent of equity (notional), or risk percent of equity to the stop.
import type { Instrument } from './instrument.ts';
import type { Money } from './money.ts';
import type { StrategyRunConfig } from './run-config-schema.ts';

/**
 * Entry size in whole steps (rounded down; 0 means "too small to trade"). `stopTicks` is the stop's
 * distance (risk sizing), `referenceTicks` the price the entry is expected at (the last close).
 */
export function entrySteps(
  sizing: StrategyRunConfig['sizing'],
  instrument: Instrument,
  equity: Money,
  referenceTicks: number,
  stopTicks: number | null,
): number {
  switch (sizing.type) {
    case 'fixed':
      return Math.floor(sizing.qty / instrument.qtyStep + 1e-9);
    case 'percent_of_equity': {
      const perStep = referenceTicks * instrument.unitsPerTickStep;
      return perStep > 0 ? Math.floor((equity * sizing.percent) / 100 / perStep + 1e-9) : 0;
    }
    case 'risk': {
      if (stopTicks === null || !(stopTicks > 0)) return 0;
      return Math.floor((equity * sizing.percent) / 100 / (stopTicks * instrument.unitsPerTickStep) + 1e-9);
    }
  }
}
