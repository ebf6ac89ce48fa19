// Wire shapes of /api/destinations*: a destination (its secret never answered: has_secret says whether
// one is stored), the list, and the create/replace body with its config checked per kind.
import { SEVERITIES } from '@barstream/core';
import { z } from 'zod';

const DESTINATION_KINDS = ['webhook', 'telegram', 'email'] as const;

const httpUrl = z
  .string({ error: 'is required: an http(s) URL' })
  .max(2_000, 'must be at most 2000 characters')
  .refine((text) => {
    try {
      return ['http:', 'https:'].includes(new URL(text).protocol);
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL');
const email = z.email({ error: 'must be an e-mail address' });

export const webhookConfigSchema = z.strictObject({
  url: httpUrl,
  /** plain: barstream's JSON; slack / discord: their incoming-webhook message shapes. */
  format: z.enum(['plain', 'slack', 'discord'], { error: 'must be plain, slack or discord' }).default('plain'),
});
export const telegramConfigSchema = z.strictObject({
  chat_id: z.union([z.string().min(1).max(100), z.number().int().transform(String)], { error: 'is required: a chat id or @channel' }),
});
export const emailConfigSchema = z.strictObject({
  to: z.union([email, z.array(email).min(1, 'must list at least one address').max(20, 'must list at most 20 addresses')]),
  from: email,
  host: z.string({ error: 'is required: the SMTP server' }).min(1, 'is required: the SMTP server').max(255),
  port: z.number({ error: 'must be a port number' }).int().min(1, 'must be a port number').max(65535, 'must be a port number').default(587),
  secure: z.boolean({ error: 'must be true or false' }).default(false),
  user: z.string().max(255).optional(),
});

const common = {
  name: z
    .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters'),
  min_severity: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }).default('info'),
  is_active: z.boolean({ error: 'must be true or false' }).default(true),
  /** Write-only: absent keeps the stored secret (on replace), null removes it. */
  secret: z.string({ error: 'must be a string or null' }).min(1, 'must not be empty').max(4_000).nullable().optional(),
};

/** POST /api/destinations and PUT /api/destinations/{id}. */
export const destinationBodySchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('webhook'), config: webhookConfigSchema, ...common }),
    z.strictObject({ kind: z.literal('telegram'), config: telegramConfigSchema, ...common }),
    z.strictObject({ kind: z.literal('email'), config: emailConfigSchema, ...common }),
  ],
  { error: `must be one of ${DESTINATION_KINDS.join(', ')}` },
);
export type DestinationBody = z.output<typeof destinationBodySchema>;

/** Kinds that cannot send without a secret: the webhook's HMAC key, the Telegram bot token. */
export const SECRET_REQUIRED: ReadonlySet<string> = new Set(['webhook', 'telegram']);

export const wireDestinationSchema = z
  .object({
    destination_id: z.number().int(),
    name: z.string(),
    kind: z.enum(DESTINATION_KINDS),
    config: z.record(z.string(), z.unknown()),
    has_secret: z.boolean().describe('Whether a secret is stored; the secret itself is never answered.'),
    min_severity: z.enum(SEVERITIES),
    is_active: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ title: 'AlertDestination' });
export type WireDestination = z.infer<typeof wireDestinationSchema>;

export const destinationsResponseSchema = z.object({ destinations: z.array(wireDestinationSchema).describe('By name.') });
export const deletedDestinationResponseSchema = z.object({ deleted: wireDestinationSchema });
