// An alert as the rule engine hands it to the store: info, no direction, on SIM.MES's 1m bar `i` after
// T0 and known at that bar's close; for tests and benchmarks of the store and the delivery queue.
import type { Alert } from '../../core/src/index.ts';
import { MINUTE, T0 } from '../../core/src/alerts/test-events.ts';

export function minuteAlert(rule: string, i: number, key = `${rule}|${i}`): Alert {
  return {
    key,
    rule,
    ruleType: 'signal',
    contractId: 'SIM.MES',
    timeframe: '1m',
    setup: 'x',
    barTime: T0 + i * MINUTE,
    knownAt: T0 + (i + 1) * MINUTE,
    direction: 'none',
    entry: 100,
    stopLoss: null,
    target: null,
    confidence: 0.5,
    severity: 'info',
    priority: 0,
    details: {},
    trendsLink: '/trends',
  };
}
