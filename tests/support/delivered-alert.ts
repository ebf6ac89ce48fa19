// A stored alert as destinations receive it, for sender tests.
import type { DeliveredAlert, DeliveryDestination, DeliveryRequest } from '@barstream/core';

export function deliveredAlert(overrides: Partial<DeliveredAlert> = {}): DeliveredAlert {
  return {
    alert_id: 42,
    rule: 'mes-trend-start',
    rule_type: 'signal',
    contract_id: 'SIM.MES',
    timeframe: '5m',
    setup_type: 'uptrend_start',
    severity: 'warning',
    direction: 'long',
    bar_time: '2026-12-04T14:35:00.000Z',
    known_at: '2026-12-04T14:40:00.000Z',
    entry_price: 5600.25,
    stop_loss: 5590.5,
    target: 5621,
    confidence: 0.75,
    details: { close: 5600.25, atr: 4.125 },
    link: 'http://127.0.0.1:3000/trends?contract=SIM.MES&timeframe=5m',
    created_at: '2026-12-04T14:40:00.120Z',
    ...overrides,
  };
}

export function deliveryRequest(destination: DeliveryDestination, overrides: Partial<DeliveryRequest> = {}): DeliveryRequest {
  return {
    idempotencyKey: 'alert-42:dest-1',
    alert: deliveredAlert(),
    destination,
    attempt: 1,
    signal: new AbortController().signal,
    ...overrides,
  };
}
