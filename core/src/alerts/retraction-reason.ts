// Why an alert is retracted, as its retraction says it: which of the signals it stood on was withdrawn.
import type { DeliveredAlert } from './delivery.ts';

/** A retraction of a signal alert (and of one whose withdrawn signal is no longer known). */
export const RETRACTION_REASON = 'the signal was withdrawn: its bar was corrected and the strategy no longer finds it';

const WHY = 'its bar was corrected and the strategy no longer finds it';

/** The withdrawn signal an alert was retracted for (the signal_withdrawals row its retracted_by names). */
export interface WithdrawnSignalPart {
  readonly timeframe: string;
  readonly signal_type: string;
  /** ISO: open time of the signal's bar. */
  readonly bar_time: string;
}

/**
 * A signal alert: RETRACTION_REASON. A confluence alert names the part that was withdrawn: its trigger
 * signal (on the alert's own series and bar), or the higher-timeframe trend signal it stood on (retracted
 * only when no other trend in force upholds the confluence: alerter/src/signal-retraction.ts).
 */
export function retractionReason(alert: DeliveredAlert, withdrawn: WithdrawnSignalPart | null): string {
  if (alert.rule_type !== 'confluence' || withdrawn === null) return RETRACTION_REASON;
  if (withdrawn.timeframe === alert.timeframe && withdrawn.bar_time === alert.bar_time) {
    return `the confluence no longer holds: its ${withdrawn.timeframe} trigger signal ${withdrawn.signal_type} was withdrawn (${WHY})`;
  }
  return (
    `the confluence no longer holds: the ${withdrawn.timeframe} trend signal ${withdrawn.signal_type} of ${withdrawn.bar_time} ` +
    `it stood on was withdrawn (${WHY}), and no other ${withdrawn.timeframe} trend in force upholds it`
  );
}
