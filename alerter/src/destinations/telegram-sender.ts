// Telegram Bot API destination (core.telegram.org/bots/api#sendmessage): POST
// <api>/bot<token>/sendMessage with the alert as MarkdownV2. The answer is {ok: true, result} or
// {ok: false, error_code, description, parameters?: {retry_after}}: 429 is retried after retry_after
// seconds, 5xx and network failures are retried, other errors (bad token, unknown chat, a message
// Telegram cannot parse) are not — retrying cannot change them.
import { alertMarkdownV2, type DeliveryRequest, type DeliveryResult, type DestinationSender } from '@barstream/core';
import { z } from 'zod';
import { HttpPoster, type PostAnswer } from './http-post.ts';
import { errorText, redactSecret } from './redact-secret.ts';

export const DEFAULT_TELEGRAM_API_URL = 'https://api.telegram.org';

export const telegramConfigSchema = z.strictObject({
  /** A chat id (number, or a string like -1001234567890) or a public channel's @username. */
  chat_id: z.union([z.number().int(), z.string().regex(/^(-?\d+|@[A-Za-z0-9_]{4,})$/, 'a chat id or @channelusername')]),
  /** Send without a notification sound. */
  disable_notification: z.boolean().default(false),
  /** Override of the Bot API base URL (a local Bot API server). */
  api_url: z.url().optional(),
});
export type TelegramConfig = z.infer<typeof telegramConfigSchema>;

const answerSchema = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({
    ok: z.literal(false),
    error_code: z.number().int(),
    description: z.string(),
    parameters: z.object({ retry_after: z.number().nonnegative().optional() }).optional(),
  }),
]);

export interface TelegramSenderOptions {
  /** Base URL when the destination gives none (env TELEGRAM_API_URL in the wiring). */
  readonly apiUrl?: string;
}

export function createTelegramSender(options: TelegramSenderOptions = {}): DestinationSender {
  // node:http over kept-alive sockets, as webhooks: a request on a socket Telegram closed while it was
  // idle is sent again on another (http-post.ts), instead of failing an attempt with ECONNRESET.
  const poster = new HttpPoster();
  return {
    kind: 'telegram',
    async send(request: DeliveryRequest): Promise<DeliveryResult> {
      const token = request.destination.secret;
      if (!token) return { ok: false, retryable: false, error: 'telegram destination has no bot token (its secret is empty)' };
      const parsed = telegramConfigSchema.safeParse(request.destination.config);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return {
          ok: false,
          retryable: false,
          error: `telegram destination config: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
        };
      }
      const config = parsed.data;
      const base = (config.api_url ?? options.apiUrl ?? DEFAULT_TELEGRAM_API_URL).replace(/\/+$/, '');
      let response: PostAnswer;
      try {
        response = await poster.post(
          new URL(`${base}/bot${token}/sendMessage`),
          { 'content-type': 'application/json' },
          JSON.stringify({
            chat_id: config.chat_id,
            text: alertMarkdownV2(request.alert, request.kind, request.reason),
            parse_mode: 'MarkdownV2',
            disable_notification: config.disable_notification,
            link_preview_options: { is_disabled: true },
          }),
          request.signal,
          { readBody: true },
        );
      } catch (error) {
        const reason = request.signal.aborted ? 'timed out' : errorText(error);
        return { ok: false, retryable: true, error: redactSecret(`telegram request failed: ${reason}`, token) };
      }
      let body: unknown;
      try {
        body = JSON.parse(response.body ?? '');
      } catch {
        return {
          ok: false,
          retryable: true,
          statusCode: response.status,
          error: `telegram answered HTTP ${response.status} with a body that is not JSON`,
        };
      }
      const answer = answerSchema.safeParse(body);
      if (!answer.success) {
        return {
          ok: false,
          retryable: true,
          statusCode: response.status,
          error: `telegram answered HTTP ${response.status} with an unexpected body`,
        };
      }
      if (answer.data.ok) {
        // An ok body on an error status would be a broken proxy: trust the status.
        if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status };
        return { ok: false, retryable: true, statusCode: response.status, error: `telegram answered HTTP ${response.status}` };
      }
      const code = answer.data.error_code;
      const error = redactSecret(`telegram error ${code}: ${answer.data.description}`, token);
      const retryAfter = answer.data.parameters?.retry_after;
      if (code === 429)
        return {
          ok: false,
          retryable: true,
          statusCode: code,
          error,
          ...(retryAfter !== undefined ? { retryAfterMs: retryAfter * 1000 } : {}),
        };
      return { ok: false, retryable: code >= 500, statusCode: code, error };
    },
  };
}
