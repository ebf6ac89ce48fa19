// Webhook destination: POSTs the alert as JSON with an idempotency key and an HMAC-SHA256 signature of
// "<timestamp>.<body>" under the destination's secret; classifies the answer for the queue worker.
import { createHmac } from 'node:crypto';
import type { DeliveryRequest, DeliveryResult, DestinationSender } from '@barstream/core';
import { HttpPoster, type PostAnswer } from './http-post.ts';
import { webhookBody, webhookConfigSchema } from './webhook-body.ts';

/** The signature header's value for a body sent at `timestamp` (epoch seconds, as sent). */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Retry-After: delay-seconds or an HTTP date; absent or unreadable → undefined. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export class WebhookSender implements DestinationSender {
  readonly kind = 'webhook';

  private readonly poster = new HttpPoster();

  constructor(private readonly clock: () => number = Date.now) {}

  async send(request: DeliveryRequest): Promise<DeliveryResult> {
    const config = webhookConfigSchema.safeParse(request.destination.config);
    if (!config.success) {
      const issue = config.error.issues[0];
      return { ok: false, retryable: false, error: `webhook config: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` };
    }
    const body = JSON.stringify(webhookBody(request.alert, config.data.format, request.kind, request.reason));
    const timestamp = String(Math.floor(this.clock() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': request.idempotencyKey,
      'x-barstream-timestamp': timestamp,
    };
    if (request.destination.secret !== null)
      headers['x-barstream-signature'] = webhookSignature(request.destination.secret, timestamp, body);
    let response: PostAnswer;
    try {
      // Redirects are not followed (node:http never does): a 3xx is a final answer.
      response = await this.poster.post(new URL(config.data.url), headers, body, request.signal);
    } catch (err) {
      // The URL and the error are safe to report; headers (with the signature) are never put in one.
      const reason = request.signal.aborted ? 'timed out' : describe(err);
      return { ok: false, retryable: true, error: `POST ${config.data.url}: ${reason}` };
    }
    const status = response.status;
    if (status >= 200 && status < 300) return { ok: true, statusCode: status };
    const retryable = status === 429 || status === 408 || status >= 500;
    const after = retryable ? retryAfterMs(response.header('retry-after'), this.clock()) : undefined;
    return {
      ok: false,
      retryable,
      statusCode: status,
      ...(after === undefined ? {} : { retryAfterMs: after }),
      error: `POST ${config.data.url}: HTTP ${status}`,
    };
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message;
}
