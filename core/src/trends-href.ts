// The one spelling of a /trends URL (the web pages' links and the alerts' trends links), optionally at one bar: `at` = the bar's open time in epoch seconds.
import { toEpochSeconds } from './time.ts';

export function trendsHref(contractId: string, timeframe: string, barTimeMs?: number): string {
  // Spelled as URLSearchParams spells it; the rule engine builds one per alert, so the usual ids skip it.
  const query = `contract=${encodeQuery(contractId)}&tf=${encodeQuery(timeframe)}`;
  return `/trends?${barTimeMs === undefined ? query : `${query}&at=${toEpochSeconds(barTimeMs)}`}`;
}

/** Characters application/x-www-form-urlencoded leaves as they are. */
const UNRESERVED = /^[A-Za-z0-9*._-]*$/;

function encodeQuery(value: string): string {
  return UNRESERVED.test(value) ? value : new URLSearchParams({ v: value }).toString().slice(2);
}
