// An alert as people read it: a one-line title and the lines of its body (entry, stop, target,
// confidence, when, link), shared by the e-mail and Telegram messages so every destination says the same.
import type { DeliveredAlert } from './delivery.ts';

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

export function alertText(alert: DeliveredAlert): AlertText {
  const direction = alert.direction === 'none' ? '' : ` (${alert.direction})`;
  const fields: [string, string][] = [];
  const add = (label: string, value: string | undefined): void => {
    if (value !== undefined) fields.push([label, value]);
  };
  add('Entry', price(alert.entry_price));
  add('Stop', price(alert.stop_loss));
  add('Target', price(alert.target));
  add('Confidence', `${Math.round(alert.confidence * 100)}%`);
  add('Bar', alert.bar_time);
  add('Rule', `${alert.rule} (${alert.rule_type})`);
  return {
    title: `[${alert.severity}] ${alert.rule}: ${alert.contract_id} ${alert.timeframe} ${alert.setup_type}${direction}`,
    fields,
    link: alert.link,
  };
}

/** Plain text: the title, one `Label: value` line per field, then the link. */
export function alertPlainText(alert: DeliveredAlert): string {
  const text = alertText(alert);
  return [text.title, '', ...text.fields.map(([label, value]) => `${label}: ${value}`), '', text.link].join('\n');
}
