// The one spelling of a /trends URL (as web/lib/trends-href.ts writes it), optionally at one bar: `at` = the bar's open time in epoch seconds.
import { toEpochSeconds } from './time.ts';

export function trendsHref(contractId: string, timeframe: string, barTimeMs?: number): string {
  const query: Record<string, string> = { contract: contractId, tf: timeframe };
  if (barTimeMs !== undefined) query.at = String(toEpochSeconds(barTimeMs));
  return `/trends?${new URLSearchParams(query).toString()}`;
}
