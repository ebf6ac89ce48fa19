// The senders by destination kind. The webhook is here; Telegram and e-mail register theirs beside it
// (telegram-sender.ts, email-sender.ts): until then a delivery to them ends with a clear, final error.
import type { DeliveryResult, DestinationKind, DestinationSender } from '@barstream/core';
import { WebhookSender } from './webhook-sender.ts';

export type SenderRegistry = ReadonlyMap<DestinationKind, DestinationSender>;

function notAvailable(kind: DestinationKind): DestinationSender {
  const result: DeliveryResult = {
    ok: false,
    retryable: false,
    error: `no ${kind} sender in this build of the alerter (alerter/src/destinations/senders.ts registers the available kinds)`,
  };
  return { kind, send: () => Promise.resolve(result) };
}

export function createSenders(overrides: Partial<Record<DestinationKind, DestinationSender>> = {}): SenderRegistry {
  return new Map<DestinationKind, DestinationSender>([
    ['webhook', overrides.webhook ?? new WebhookSender()],
    ['telegram', overrides.telegram ?? notAvailable('telegram')],
    ['email', overrides.email ?? notAvailable('email')],
  ]);
}
