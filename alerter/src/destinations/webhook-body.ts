// The JSON body a webhook destination receives, per config.format: the DeliveredAlert as it is
// (plain), a Slack incoming-webhook message ({ text, blocks }) or a Discord execute-webhook message
// ({ content, embeds }). A retraction: plain `{ kind: 'retraction', alert_id, text, reason, alert }`;
// Slack and Discord the same message with "WITHDRAWN: " before its headline.
import { RETRACTION_PREFIX, RETRACTION_REASON, type DeliveredAlert, type DeliveryMessageKind } from '@barstream/core';
import { z } from 'zod';

export const webhookConfigSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  format: z.enum(['plain', 'slack', 'discord']).default('plain'),
});
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

/** One line a person reads: "warning SIM.MES 5m uptrend_start long @ 5601.25 (trend-start)". */
export function alertHeadline(a: DeliveredAlert): string {
  const entry = a.entry_price === null ? '' : ` @ ${a.entry_price}`;
  const direction = a.direction === 'none' ? '' : ` ${a.direction}`;
  return `${a.severity.toUpperCase()} ${a.contract_id} ${a.timeframe} ${a.setup_type}${direction}${entry} (${a.rule})`;
}

function levels(a: DeliveredAlert): string {
  const parts = [
    a.stop_loss === null ? undefined : `stop ${a.stop_loss}`,
    a.target === null ? undefined : `target ${a.target}`,
    `confidence ${a.confidence}`,
    `bar ${a.bar_time}`,
  ];
  return parts.filter((p) => p !== undefined).join(' · ');
}

/** Discord embed colours by severity (decimal RGB). */
const DISCORD_COLOUR = { info: 0x3b82f6, warning: 0xf59e0b, critical: 0xef4444 } as const;

export function webhookBody(
  alert: DeliveredAlert,
  format: WebhookConfig['format'],
  kind: DeliveryMessageKind = 'alert',
  reason = RETRACTION_REASON,
): unknown {
  const retraction = kind === 'retraction';
  const headline = `${retraction ? RETRACTION_PREFIX : ''}${alertHeadline(alert)}`;
  if (format === 'plain') {
    return retraction ? { kind: 'retraction', alert_id: alert.alert_id, text: headline, reason, alert } : alert;
  }
  if (format === 'slack') {
    return {
      text: headline, // the notification text; blocks are what the channel shows
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*${headline}*\n${retraction ? `${reason}\n` : ''}${levels(alert)}` } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `<${alert.link}|Open the chart at this bar>` }] },
      ],
    };
  }
  return {
    content: headline,
    embeds: [
      {
        title: `${retraction ? RETRACTION_PREFIX : ''}${alert.contract_id} ${alert.timeframe} ${alert.setup_type}`,
        description: `${retraction ? `${reason}\n` : ''}${levels(alert)}`,
        // Discord accepts only absolute http(s) URLs here.
        ...(/^https?:\/\//.test(alert.link) ? { url: alert.link } : {}),
        color: DISCORD_COLOUR[alert.severity],
        timestamp: alert.created_at,
      },
    ],
  };
}
