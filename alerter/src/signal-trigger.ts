// When a stored signal became knowable: the open time of its trigger bar. The analyzer writes it in
// details.trigger_time; detected_signals.trigger_timestamp holds the wall-clock time of the insert
// (its column default), used only for rows without one (other writers, the replaced system's rows).

/** SQL for a detected_signals row `s`: its trigger bar's open time (timestamptz). */
export const TRIGGER_TIME_SQL = `CASE WHEN s.details->>'trigger_time' ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$'
  THEN (s.details->>'trigger_time')::timestamptz ELSE s.trigger_timestamp END`;

/** The same for a signal_detected payload: epoch ms. */
export function triggerTimeOf(details: Readonly<Record<string, unknown>>, triggerTimestamp: string): number {
  const t = details.trigger_time;
  const parsed = typeof t === 'string' ? Date.parse(t) : NaN;
  return Number.isNaN(parsed) ? Date.parse(triggerTimestamp) : parsed;
}
