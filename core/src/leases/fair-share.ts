// Fair share: how many units one of several live instances may hold, and which ones it prefers, so
// instances split the work without talking to each other and a survivor takes everything.
import { unitHash } from './lease-key.ts';

/** At most ceil(units / live instances); a lone instance holds everything. */
export function fairShare(units: number, liveInstances: number): number {
  return Math.ceil(units / Math.max(1, liveInstances));
}

/** The units in this instance's order of preference (rendezvous hashing on instance and unit):
 * different instances prefer different units, so they rarely race for the same lock. */
export function preferenceOrder(instanceId: string, units: readonly string[]): string[] {
  return [...units]
    .map((unit) => ({ unit, rank: unitHash(`${instanceId}|${unit}`) >>> 0 }))
    .sort((a, b) => a.rank - b.rank || (a.unit < b.unit ? -1 : 1))
    .map((r) => r.unit);
}

export interface LeasePlan {
  /** Units not held to try to lock now, best first (the caller stops once it reaches its share). */
  readonly tryLock: string[];
  /** Held units to hand back (more than the share while another instance has room). */
  readonly release: string[];
}

/** One retry cycle's decision, from what this instance holds and how many instances are live. */
export function planLeases(instanceId: string, units: readonly string[], held: ReadonlySet<string>, liveInstances: number): LeasePlan {
  const share = fairShare(units.length, liveInstances);
  const order = preferenceOrder(instanceId, units);
  const heldInOrder = order.filter((u) => held.has(u));
  // Units no longer configured are released too.
  const stale = [...held].filter((u) => !units.includes(u));
  const excess = liveInstances > 1 ? heldInOrder.slice(share) : [];
  return {
    tryLock: heldInOrder.length < share ? order.filter((u) => !held.has(u)) : [],
    release: [...stale, ...excess.reverse()],
  };
}
