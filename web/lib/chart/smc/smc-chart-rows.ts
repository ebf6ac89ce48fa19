// The SMC rows one chart holds: wire rows from /api/smc/* as chart rows (times in epoch seconds, like
// the candles), keyed by study instance, study and bar, and how a refetch from a time replaces them.
import type { WireSmcEvent, WireZone } from '../../api/smc-response-schemas.ts';

export interface ChartSmcEvent {
  readonly key: string;
  readonly kind: WireSmcEvent['kind'];
  /** Epoch seconds of the swing bar (for a break: the swing whose level broke). */
  readonly time: number;
  readonly direction: -1 | 1 | null;
  readonly level: number | null;
  readonly brokenTime: number | null;
  readonly confirmed: boolean;
}

export interface ChartZone {
  readonly key: string;
  readonly study: WireZone['study'];
  /** Epoch seconds of the created bar, and of the mitigating (or sweeping) bar; null while active. */
  readonly time: number;
  readonly mitigatedTime: number | null;
  readonly side: -1 | 1;
  readonly top: number;
  readonly bottom: number;
  readonly confirmed: boolean;
}

const seconds = (iso: string): number => Date.parse(iso) / 1000;
const secondsOrNull = (iso: string | null): number | null => (iso === null ? null : seconds(iso));

export function toChartEvent(e: WireSmcEvent): ChartSmcEvent {
  return {
    key: `${e.study_id}|${e.study}|${e.bar_time}`,
    kind: e.kind,
    time: seconds(e.bar_time),
    direction: e.direction === null ? null : e.direction > 0 ? 1 : -1,
    level: e.level,
    brokenTime: secondsOrNull(e.broken_time),
    confirmed: e.confirmed,
  };
}

export function toChartZone(z: WireZone): ChartZone {
  return {
    key: `${z.study_id}|${z.study}|${z.bar_time}`,
    study: z.study,
    time: seconds(z.bar_time),
    mitigatedTime: secondsOrNull(z.mitigated_time),
    side: z.side > 0 ? 1 : -1,
    top: z.top,
    bottom: z.bottom,
    confirmed: z.confirmed,
  };
}

/**
 * Merges a fetch into `held`: a fetch from `fromSeconds` holds every row from that bar on, so held
 * rows from it on that it lacks were deleted (a provisional row the library revised away); rows it
 * returns from before it (zones still alive at `from`) replace their old versions. Without a `from`
 * the fetch is the whole answer. Returns whether anything changed.
 */
export function mergeRows<R extends { readonly key: string; readonly time: number }>(
  held: Map<string, R>,
  fetched: readonly R[],
  fromSeconds: number | undefined,
): boolean {
  let changed = false;
  const fresh = new Set(fetched.map((r) => r.key));
  for (const [key, row] of held) {
    if ((fromSeconds === undefined || row.time >= fromSeconds) && !fresh.has(key)) {
      held.delete(key);
      changed = true;
    }
  }
  for (const row of fetched) {
    const known = held.get(row.key);
    if (known && JSON.stringify(known) === JSON.stringify(row)) continue;
    held.set(row.key, row);
    changed = true;
  }
  return changed;
}
