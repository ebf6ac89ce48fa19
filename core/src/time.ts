// Branded time units: epoch milliseconds (storage, aggregation) vs epoch seconds (lightweight-charts).
export type EpochMs = number & { readonly __unit: 'ms' };
export type EpochSeconds = number & { readonly __unit: 's' };

export const asEpochMs = (n: number): EpochMs => n as EpochMs;
export const toEpochSeconds = (ms: number): EpochSeconds => Math.floor(ms / 1000) as EpochSeconds;
export const fromEpochSeconds = (s: number): EpochMs => (s * 1000) as EpochMs;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
