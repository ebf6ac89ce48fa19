// An alert as people read it: a one-line title and the lines of its body (entry, stop, target,
// confidence, when, link), shared by the e-mail and Telegram messages so every destination says the same.
import type { DeliveredAlert, DeliveryMessageKind } from './delivery.ts';
import { RETRACTION_REASON } from './retraction-reason.ts';

/** What a retraction says before the original alert's title and fields. */
export const RETRACTION_PREFIX = 'WITHDRAWN: ';

export interface AlertText {
  /** e.g. `[warning] mes-trend-start: SIM.MES 5m uptrend_start (long)` */
  readonly title: string;
  /** Label/value pairs in reading order; values already formatted. */
  readonly fields: readonly (readonly [label: string, value: string])[];
  readonly link: string;
}

function price(value: number | null): string | undefined {
  return value === null ? undefined : String(value);
}

/** The alert's text; a retraction: "WITHDRAWN: <the alert's title>", the reason (retraction-reason.ts), then the alert's fields. */
export function alertText(alert: DeliveredAlert, kind: DeliveryMessageKind = 'alert', reason = RETRACTION_REASON): AlertText {
  const direction = alert.direction === 'none' ? '' : ` (${alert.direction})`;
  const fields: [string, string][] = [];
  const add = (label: string, value: string | undefined): void => {
    if (value !== undefined) fields.push([label, value]);
  };
  if (kind === 'retraction') add('Withdrawn', reason);
  add('Entry', price(alert.entry_price));
  add('Stop', price(alert.stop_loss));
  add('Target', price(alert.target));
  add('Confidence', `${Math.round(alert.confidence * 100)}%`);
  add('Bar', alert.bar_time);
  add('Rule', `${alert.rule} (${alert.rule_type})`);
  return {
    title: `${kind === 'retraction' ? RETRACTION_PREFIX : ''}[${alert.severity}] ${alert.rule}: ${alert.contract_id} ${alert.timeframe} ${alert.setup_type}${direction}`,
    fields,
    link: alert.link,
  };
}

/** Plain text: the title, one `Label: value` line per field, then the link. */
export function alertPlainText(alert: DeliveredAlert, kind: DeliveryMessageKind = 'alert', reason?: string): string {
  const text = alertText(alert, kind, reason);
  return [text.title, '', ...text.fields.map(([label, value]) => `${label}: ${value}`), '', text.link].join('\n');
}
