// Lease keys: a unit of work (a contract, an analysis target, a paper run) as the two int4 halves of a
// PostgreSQL advisory lock, namespaced per service so no two services' units ever share a lock.

/** The services that lease units; each owns one namespace (the first int4 of the lock). */
export const LEASE_SERVICES = ['ingester', 'analyzer', 'alerter', 'trader'] as const;
export type LeaseService = (typeof LEASE_SERVICES)[number];

/** 0x62730000 ('bs' and a service number): distinct from the migration runner's single-int lock and
 * from other applications' small namespaces. */
const NAMESPACE_BASE = 0x62730000;

export interface LeaseKey {
  /** int4: the service's namespace. */
  readonly namespace: number;
  /** int4: the unit's hash within the namespace. */
  readonly hash: number;
}

export function leaseNamespace(service: LeaseService): number {
  return NAMESPACE_BASE + LEASE_SERVICES.indexOf(service) + 1;
}

/** FNV-1a (32-bit) of the unit's UTF-8 bytes, as a signed int4. Two units of one service hashing
 * alike share one lock: still exclusive (a session's advisory locks are re-entrant, so one
 * instance holds both), only less evenly shared. */
export function unitHash(unit: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(unit)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

export function leaseKey(service: LeaseService, unit: string): LeaseKey {
  return { namespace: leaseNamespace(service), hash: unitHash(unit) };
}

/** The application_name every instance's lease connection carries: how instances count each other. */
export function leaseApplicationName(service: LeaseService): string {
  return `barstream-lease:${service}`;
}
