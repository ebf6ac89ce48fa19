// The senders by destination kind: webhook (HTTP + HMAC), Telegram (Bot API sendMessage), e-mail (SMTP).
import type { DestinationKind, DestinationSender } from '@barstream/core';
import { createEmailSender } from './email-sender.ts';
import { createTelegramSender, DEFAULT_TELEGRAM_API_URL } from './telegram-sender.ts';
import { WebhookSender } from './webhook-sender.ts';

export type SenderRegistry = ReadonlyMap<DestinationKind, DestinationSender>;

export interface SenderOptions {
  /** alerter.delivery.telegram_api_url */
  readonly telegramApiUrl?: string;
  /** One SMTP attempt's connection/greeting/idle limits (the attempt's AbortSignal ends it sooner). */
  readonly smtpTimeoutMs?: number;
}

export function createSenders(
  overrides: Partial<Record<DestinationKind, DestinationSender>> = {},
  options: SenderOptions = {},
): SenderRegistry {
  return new Map<DestinationKind, DestinationSender>([
    ['webhook', overrides.webhook ?? new WebhookSender()],
    ['telegram', overrides.telegram ?? createTelegramSender({ apiUrl: options.telegramApiUrl ?? DEFAULT_TELEGRAM_API_URL })],
    ['email', overrides.email ?? createEmailSender({ timeoutMs: options.smtpTimeoutMs })],
  ]);
}
