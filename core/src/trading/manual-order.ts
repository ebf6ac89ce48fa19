// Manual orders (API, tests): checks that a manual order names the prices its type takes, and converts it
// to the engine's grid (prices in ticks, quantity in whole steps).
import type { ManualOrder } from './engine-events.ts';
import { type Instrument, toSteps, toTicks } from './instrument.ts';
import type { NewOrder } from './order-desk.ts';
import { TradingError } from './trading-error.ts';

export function manualOrderSpec(manual: ManualOrder, instrument: Instrument): NewOrder {
  const { type } = manual;
  const needsLimit = type === 'limit' || type === 'stop_limit';
  const needsStop = type === 'stop' || type === 'stop_limit';
  if (needsLimit !== (manual.limitPrice !== undefined) || needsStop !== (manual.stopPrice !== undefined)) {
    const takes = [needsLimit && 'limitPrice', needsStop && 'stopPrice'].filter(Boolean).join(' and ') || 'no price';
    throw new TradingError('invalid_input', `order ${manual.clientOrderId}: a ${type} order takes ${takes}`);
  }
  return {
    clientOrderId: manual.clientOrderId,
    role: 'manual',
    side: manual.side,
    type,
    steps: toSteps(instrument, manual.qty),
    limitTicks: manual.limitPrice === undefined ? null : toTicks(instrument, manual.limitPrice),
    stopTicks: manual.stopPrice === undefined ? null : toTicks(instrument, manual.stopPrice),
    tif: manual.tif ?? 'gtc',
  };
}
