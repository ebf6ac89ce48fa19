// A signal of the 'trend' analyzer on CONTRACT's 1m bars, placed by bar index from T0: the one the
// alerter tests store as the analyzer would, to be alerted, withdrawn or stored late.
import type { SignalEvent } from '../../core/src/index.ts';
import { MINUTE, T0 } from '../../core/src/alerts/test-events.ts';
import { CONTRACT } from './alerter-fixture.ts';

/** About bar `barIndex`, triggered at bar `triggerIndex`. */
export function trendSignal(barIndex: number, triggerIndex: number, type = 'uptrend_start'): SignalEvent {
  return {
    kind: 'signal',
    analyzerId: 'trend',
    contractId: CONTRACT,
    timeframe: '1m',
    barTime: T0 + barIndex * MINUTE,
    triggerTime: T0 + triggerIndex * MINUTE,
    type,
    price: 100,
    details: {},
  };
}
