// Wire shapes of /api/alerts*: the list's filter and paging, an alert with its deliveries (and their
// attempts on /api/alerts/{id}), the statistics, and the read-state bodies.
import { SEVERITIES } from '@barstream/core';
import { z } from 'zod';
import { checked, contractIdSchema, instantSchema, limitSchema, resolveRange } from './query-fields.ts';

/** Alerts per page by default, and at most: a page is a screenful of rows with their deliveries. */
export const ALERTS_DEFAULT_LIMIT = 100;
export const ALERTS_MAX_LIMIT = 1_000;

const severitySchema = z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` });
const ruleNameSchema = z.string().max(80, 'must be at most 80 characters').describe('Only alerts of this rule (its name).');
const booleanText = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');

/** The filter shared by the list, the statistics and "mark all read": every field narrows. */
export interface AlertFilter {
  readonly contractId: string | undefined;
  readonly rule: string | undefined;
  readonly severity: (typeof SEVERITIES)[number] | undefined;
  readonly isRead: boolean | undefined;
  readonly timeframe: string | undefined;
  /** On bar_time (the bar the alert is about), inclusive. */
  readonly from: Date | undefined;
  readonly to: Date | undefined;
}

const filterQueryFields = {
  contract_id: contractIdSchema.optional(),
  rule: ruleNameSchema.optional(),
  severity: severitySchema.describe(`Only this severity (${SEVERITIES.join(', ')}).`).optional(),
  is_read: booleanText.describe('true: read alerts only; false: unread only.').optional(),
  timeframe: z.string().max(8).describe('Only alerts on this timeframe (e.g. 5m).').optional(),
  from: instantSchema.describe("Earliest bar time (inclusive) of the alert's bar: ISO-8601 or epoch milliseconds.").optional(),
  to: instantSchema.describe("Latest bar time (inclusive) of the alert's bar: ISO-8601 or epoch milliseconds.").optional(),
};

type FilterFields = {
  contract_id?: string;
  rule?: string;
  severity?: AlertFilter['severity'];
  is_read?: boolean;
  timeframe?: string;
  from?: Date;
  to?: Date;
};

function toFilter(q: FilterFields, ctx: z.RefinementCtx): AlertFilter {
  const range = checked(ctx, () => resolveRange(q));
  return { contractId: q.contract_id, rule: q.rule, severity: q.severity, isRead: q.is_read, timeframe: q.timeframe, ...range };
}

export interface AlertsQuery extends AlertFilter {
  readonly limit: number;
  readonly beforeId: bigint | undefined;
}

export const alertsQuerySchema = z
  .object({
    ...filterQueryFields,
    limit: limitSchema(ALERTS_DEFAULT_LIMIT, ALERTS_MAX_LIMIT),
    before_id: z
      .string()
      .regex(/^\d{1,18}$/, 'must be an alert id (a positive whole number)')
      .describe('Paging: only alerts older than this alert_id (the previous page’s next_before_id).')
      .transform(BigInt)
      .optional(),
  })
  .transform((q, ctx): AlertsQuery => ({ ...toFilter(q, ctx), limit: q.limit, beforeId: q.before_id }));

export const alertStatsQuerySchema = z.object(filterQueryFields).transform((q, ctx): AlertFilter => toFilter(q, ctx));

export const deliverySummarySchema = z.object({
  destination_id: z.number().int(),
  destination: z.string().describe('The destination’s name.'),
  kind: z.string(),
  status: z
    .enum(['held', 'queued', 'retrying', 'delivered', 'dead', 'cancelled'])
    .describe(
      'dead: gave up after the last retry (dead-letter); cancelled: the alert was withdrawn before it was sent (nothing sent); held: a retraction waiting for its alert’s delivery to end.',
    ),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  last_attempt_at: z.string().nullable(),
  delivered_at: z.string().nullable(),
});

export const deliveryAttemptSchema = z.object({
  attempt: z.number().int(),
  attempted_at: z.string(),
  ok: z.boolean(),
  status_code: z.number().int().nullable().describe('HTTP status, or null (SMTP, connection error, timeout).'),
  error: z.string().nullable(),
  duration_ms: z.number(),
});

export const wireAlertSchema = z
  .object({
    alert_id: z.number().int(),
    alert_key: z.string(),
    rule_id: z.number().int().nullable().describe('null when the rule was deleted since.'),
    rule: z.string(),
    rule_type: z.string(),
    contract_id: z.string(),
    timeframe: z.string(),
    setup_type: z.string(),
    severity: z.enum(SEVERITIES),
    direction: z.enum(['long', 'short', 'none']),
    bar_time: z.string().describe('Open time of the bar the alert is about (ISO-8601 UTC).'),
    known_at: z.string().describe('Close time of the bar that made it knowable.'),
    entry_price: z.number().nullable(),
    stop_loss: z.number().nullable(),
    target: z.number().nullable(),
    confidence: z.number(),
    details: z.record(z.string(), z.unknown()).describe('The bar / indicator / signal values that triggered it.'),
    link: z.string().describe('/trends at that bar.'),
    is_read: z.boolean(),
    created_at: z.string(),
    deliveries: z.array(deliverySummarySchema),
    retracted_at: z
      .string()
      .nullable()
      .describe('When the signal the alert is about was withdrawn by the analyzer (a bar corrected after it); null: it stands.'),
    retractions: z
      .array(deliverySummarySchema)
      .describe('The "WITHDRAWN" message per destination that had the alert (empty unless retracted).'),
  })
  .meta({ title: 'Alert' });
export type WireAlert = z.infer<typeof wireAlertSchema>;

export const alertsResponseSchema = z.object({
  alerts: z.array(wireAlertSchema).describe('Newest first.'),
  next_before_id: z.number().int().nullable().describe('Pass as before_id for the next (older) page; null on the last page.'),
});
export type AlertsResponse = z.infer<typeof alertsResponseSchema>;

export const alertDetailResponseSchema = z.object({
  alert: wireAlertSchema.extend({
    deliveries: z.array(deliverySummarySchema.extend({ attempt_history: z.array(deliveryAttemptSchema) })),
  }),
});
export type AlertDetailResponse = z.infer<typeof alertDetailResponseSchema>;

const countRow = { count: z.number().int(), unread: z.number().int() };
export const alertStatsResponseSchema = z.object({
  total: z.number().int(),
  unread: z.number().int(),
  by_rule: z.array(z.object({ rule: z.string(), ...countRow })).describe('Most alerts first.'),
  by_contract: z.array(z.object({ contract_id: z.string(), ...countRow })).describe('Most alerts first.'),
  by_day: z.array(z.object({ day: z.string().describe('UTC date of created_at, YYYY-MM-DD.'), ...countRow })).describe('Oldest first.'),
});
export type AlertStatsResponse = z.infer<typeof alertStatsResponseSchema>;

const isReadBody = z.boolean({ error: 'is required: true or false' });

/** PATCH /api/alerts/{id}. */
export const alertReadBodySchema = z.strictObject({ is_read: isReadBody });

/** PATCH /api/alerts: mark every alert the filter selects (no filter: every alert). */
export const alertsReadBodySchema = z
  .strictObject({
    is_read: isReadBody,
    contract_id: contractIdSchema.optional(),
    rule: ruleNameSchema.optional(),
    severity: severitySchema.optional(),
    timeframe: z.string().max(8).optional(),
    from: z
      .union([z.string(), z.number().int().transform(String)])
      .pipe(instantSchema)
      .optional(),
    to: z
      .union([z.string(), z.number().int().transform(String)])
      .pipe(instantSchema)
      .optional(),
  })
  .transform((b, ctx): { isRead: boolean; filter: AlertFilter } => ({
    isRead: b.is_read,
    filter: toFilter({ ...b, is_read: undefined }, ctx),
  }));

export const alertsReadResponseSchema = z.object({ updated: z.number().int().describe('Alerts whose read state changed.') });
