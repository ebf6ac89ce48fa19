// Delivery of a stored alert to one destination: what a sender (webhook, Telegram, e-mail) is given and
// what it answers. The alerter's queue worker calls a sender once per attempt; the sender never retries
// itself, never logs the secret, and reports whether the failure is worth retrying.

/** A stored alert as every destination receives it (the alerts row, wire names). */
export interface DeliveredAlert {
  readonly alert_id: number;
  readonly rule: string;
  readonly rule_type: string;
  readonly contract_id: string;
  readonly timeframe: string;
  readonly setup_type: string;
  readonly severity: 'info' | 'warning' | 'critical';
  readonly direction: 'long' | 'short' | 'none';
  /** ISO: open time of the bar the alert is about. */
  readonly bar_time: string;
  readonly known_at: string;
  readonly entry_price: number | null;
  readonly stop_loss: number | null;
  readonly target: number | null;
  readonly confidence: number;
  readonly details: Readonly<Record<string, number | string | boolean | null>>;
  /** Absolute URL of /trends at that bar when the web's public URL is known, else the path. */
  readonly link: string;
  readonly created_at: string;
}

export type DestinationKind = 'webhook' | 'telegram' | 'email';

export interface DeliveryDestination {
  readonly id: number;
  readonly name: string;
  readonly kind: DestinationKind;
  /** Non-secret settings (alert_destinations.config). */
  readonly config: Readonly<Record<string, unknown>>;
  /** HMAC secret / bot token / SMTP password; null when the kind needs none. */
  readonly secret: string | null;
}

/** What is sent: the alert, or its retraction ("WITHDRAWN: …") after the analyzer withdrew its signal. */
export type DeliveryMessageKind = 'alert' | 'retraction';

export interface DeliveryRequest {
  /** The same for every attempt of this (alert, destination, kind): receivers deduplicate on it. */
  readonly idempotencyKey: string;
  /** Absent: 'alert'. */
  readonly kind?: DeliveryMessageKind;
  /** A retraction's reason (retractionReason); absent: RETRACTION_REASON. */
  readonly reason?: string;
  readonly alert: DeliveredAlert;
  readonly destination: DeliveryDestination;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Aborted when the attempt's time is up: a hanging receiver never holds a worker. */
  readonly signal: AbortSignal;
}

export type DeliveryResult =
  | { readonly ok: true; readonly statusCode?: number }
  | {
      readonly ok: false;
      /** false: retrying cannot help (e.g. 400, 401, 403, 404 from the receiver, a bad config). */
      readonly retryable: boolean;
      readonly statusCode?: number;
      /** The receiver asked to wait (HTTP Retry-After, Telegram parameters.retry_after), in ms. */
      readonly retryAfterMs?: number;
      /** For people and the attempts table; never contains the secret. */
      readonly error: string;
    };

export interface DestinationSender {
  readonly kind: DestinationKind;
  send(request: DeliveryRequest): Promise<DeliveryResult>;
}
