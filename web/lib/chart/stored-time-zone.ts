// The time zone choice of the stored chart preferences (chart-preferences.ts), read without zod: the
// chart boot (chart-boot.ts) labels its first frame as the chart will, and must stay small.
export const PREFERENCES_STORAGE_KEY = 'barstream.chart.preferences';

/** The stored `timeZone` as parsePreferences reads it: 'utc' only when the stored JSON is an object
 * whose timeZone is 'utc'; anything else (nothing stored, broken JSON, storage disabled) 'exchange'. */
export function timeZoneChoice(text: string | null): 'exchange' | 'utc' {
  if (text === null) return 'exchange';
  try {
    const value: unknown = JSON.parse(text);
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    return isObject && (value as { timeZone?: unknown }).timeZone === 'utc' ? 'utc' : 'exchange';
  } catch {
    return 'exchange';
  }
}

export function storedTimeZoneChoice(): 'exchange' | 'utc' {
  try {
    return timeZoneChoice(window.localStorage.getItem(PREFERENCES_STORAGE_KEY));
  } catch {
    return 'exchange'; // storage disabled
  }
}

/** The zone the chart's labels use: the exchange's when chosen and known, else UTC. */
export const chartZone = (choice: 'exchange' | 'utc', exchangeZone: string | null): string =>
  choice === 'exchange' && exchangeZone !== null ? exchangeZone : 'UTC';
