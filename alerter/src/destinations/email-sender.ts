// E-mail destination over SMTP with nodemailer (the maintained Node SMTP client: pooling, STARTTLS,
// AUTH, abort signals, and errors that say whether a reply was permanent). One message per alert; its
// Message-ID is derived from the idempotency key, so every retry carries the same id and mail systems
// that deduplicate on it show one message. 4xx replies and connection failures are retried, 5xx
// replies (except 503) and authentication failures are not.
import { createHash } from 'node:crypto';
import { alertPlainText, alertText, type DeliveryRequest, type DeliveryResult, type DestinationSender } from '@barstream/core';
import { createTransport } from 'nodemailer';
import { z } from 'zod';
import { errorText, redactSecret } from './redact-secret.ts';

const address = z.email();

export const emailConfigSchema = z.strictObject({
  to: z.union([address, z.array(address).min(1)]),
  from: address,
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  /** true: TLS from the start (port 465); false: plain, upgraded with STARTTLS when offered. */
  secure: z.boolean().default(false),
  /** SMTP login; the password is the destination's secret. */
  user: z.string().min(1).optional(),
  /** Refuse to send unless the server upgrades to TLS. */
  require_tls: z.boolean().default(false),
});
export type EmailConfig = z.infer<typeof emailConfigSchema>;

export interface EmailSenderOptions {
  /** Connection, greeting and idle-socket limits (ms); the request's AbortSignal ends a send sooner. */
  readonly timeoutMs?: number;
}

/** `<sha256(idempotency key)@barstream>`: the same for every attempt of one delivery. */
export function deliveryMessageId(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@barstream>`;
}

interface SmtpError {
  readonly code?: string;
  readonly responseCode?: number;
  readonly permanent?: boolean;
}

export function createEmailSender(options: EmailSenderOptions = {}): DestinationSender {
  const timeout = options.timeoutMs ?? 10_000;
  return {
    kind: 'email',
    async send(request: DeliveryRequest): Promise<DeliveryResult> {
      const secret = request.destination.secret;
      const parsed = emailConfigSchema.safeParse(request.destination.config);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return {
          ok: false,
          retryable: false,
          error: `email destination config: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
        };
      }
      const config = parsed.data;
      if (config.user && !secret)
        return { ok: false, retryable: false, error: 'email destination has a user but no password (its secret is empty)' };
      const transport = createTransport({
        host: config.host,
        port: config.port,
        secure: config.secure,
        requireTLS: config.require_tls,
        ...(config.user ? { auth: { user: config.user, pass: secret ?? '' } } : {}),
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
        // Never log: the transcript would hold the AUTH exchange.
        logger: false,
        debug: false,
      });
      const text = alertText(request.alert, request.kind, request.reason);
      try {
        await transport.sendMail({
          from: config.from,
          to: config.to,
          subject: text.title,
          text: alertPlainText(request.alert, request.kind, request.reason),
          messageId: deliveryMessageId(request.idempotencyKey),
          headers: {
            'Idempotency-Key': request.idempotencyKey,
            'X-Barstream-Alert-Id': String(request.alert.alert_id),
            'X-Barstream-Kind': request.kind ?? 'alert',
          },
          signal: request.signal,
        });
        return { ok: true };
      } catch (error) {
        const e = error as SmtpError;
        const message = redactSecret(`smtp ${e.code ?? 'error'}${e.responseCode ? ` ${e.responseCode}` : ''}: ${errorText(error)}`, secret);
        const permanent = e.permanent === true || e.code === 'EAUTH' || e.code === 'ENOAUTH' || e.code === 'ECONFIG';
        return { ok: false, retryable: !permanent, ...(e.responseCode ? { statusCode: e.responseCode } : {}), error: message };
      } finally {
        transport.close();
      }
    },
  };
}
