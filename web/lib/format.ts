// Display formatting shared by the overview and the chart: prices to their tick size, signed
// changes, and how long ago something happened.

/** Decimals needed to write `tickSize` exactly (0.25 → 2, 0.01 → 2, 1 → 0), capped at 8. */
export function tickDecimals(tickSize: number): number {
  if (!(tickSize > 0)) return 2;
  for (let d = 0; d <= 8; d++) {
    if (Math.abs(Math.round(tickSize * 10 ** d) - tickSize * 10 ** d) < 1e-9) return d;
  }
  return 8;
}

export function formatPrice(price: number | null, tickSize: number): string {
  if (price === null || !Number.isFinite(price)) return '—';
  const d = tickDecimals(tickSize);
  return price.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

export function formatChange(change: number | null, percent: number | null, tickSize: number): string {
  if (change === null) return '—';
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const pct = percent === null ? '' : ` (${sign}${Math.abs(percent).toFixed(2)}%)`;
  return `${sign}${formatPrice(Math.abs(change), tickSize)}${pct}`;
}

/** "4 s", "3 min", "2 h 5 min", "3 d": coarse enough to read at a glance. */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d`;
}
