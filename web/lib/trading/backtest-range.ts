// The backtest form's default range: the last 30 days up to tomorrow (ISO dates, UTC), so a fresh
// import or a running ingester's bars are inside it.
const DEFAULT_DAYS = 30;
const DAY_MS = 86_400_000;

export function defaultBacktestRange(nowMs: number = Date.now()): { from: string; to: string } {
  return {
    from: new Date(nowMs - DEFAULT_DAYS * DAY_MS).toISOString().slice(0, 10),
    to: new Date(nowMs + DAY_MS).toISOString().slice(0, 10),
  };
}
