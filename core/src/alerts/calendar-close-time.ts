// Close times of every timeframe: intraday bars by their fixed length, day and longer bars by their
// contract's session calendar (the bucket their trade-date label names, as the bar aggregator builds it).
import type { SessionCalendar } from '../session-calendar.ts';
import { fixedLengthMs, parseTimeframe, type Timeframe } from '../timeframe.ts';
import { ValidationError } from '../errors.ts';
import { fixedCloseTime, type CloseTimeOf } from './engine-events.ts';

/** The bucket of a day-or-longer bar labelled `label` (its trade date, 00:00 UTC). West of UTC that
 * instant lies in the previous session, so the date's session open is looked up (bar-aggregator.ts). */
export function labelledBucketClose(calendar: SessionCalendar, tf: Timeframe, label: number): number {
  return calendar.bucket(calendar.sessionOpen(label), tf).to;
}

/** The close of the bar after the one labelled `label` (day and longer): the next bucket's label is the
 * end of this bucket's dates. */
export function nextBucketClose(calendar: SessionCalendar, tf: Timeframe, label: number): number {
  const { end } = calendar.bucketDates(calendar.sessionOpen(label), tf);
  return Math.max(labelledBucketClose(calendar, tf, end), labelledBucketClose(calendar, tf, label) + 1);
}

/** A CloseTimeOf for every timeframe; `calendarOf` answers undefined for a contract it does not know. */
export function calendarCloseTime(calendarOf: (contractId: string) => SessionCalendar | undefined): CloseTimeOf {
  const timeframes = new Map<string, Timeframe>();
  return (timeframe, barTime, contractId) => {
    let tf = timeframes.get(timeframe);
    if (tf === undefined) {
      tf = parseTimeframe(timeframe);
      timeframes.set(timeframe, tf);
    }
    if (fixedLengthMs(tf) !== undefined) return fixedCloseTime(timeframe, barTime);
    const calendar = contractId === undefined ? undefined : calendarOf(contractId);
    if (calendar === undefined)
      throw new ValidationError('contract_id', `no session calendar for ${contractId ?? '(none)'}: cannot close its ${timeframe} bars`);
    return labelledBucketClose(calendar, tf, barTime);
  };
}
