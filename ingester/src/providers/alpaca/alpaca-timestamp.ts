// Times in the form Alpaca's REST start/end parameters take (the stream's are read by rfc3339-time.ts).

/** Epoch ms → RFC-3339 with milliseconds, the form Alpaca's REST start/end accept. */
export function formatAlpacaTime(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}
