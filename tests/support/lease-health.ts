// The leases a service process reports on its /health (leases: held units, live instances, lease
// cycles run), and the takeover a survivor makes after its peer is killed.

export interface LeaseHealth {
  readonly held: string[];
  readonly cycles: number;
  readonly liveInstances: number;
}

/** The `leases` part of /health on `port`; undefined while the service does not answer. */
export async function leaseHealth(port: number): Promise<LeaseHealth | undefined> {
  try {
    return ((await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { leases?: LeaseHealth }).leases;
  } catch {
    return undefined;
  }
}

/** The units the service on `port` holds (none while it does not answer). */
export const heldLeases = async (port: number): Promise<string[]> => (await leaseHealth(port))?.held ?? [];

export interface Takeover {
  /** The survivor's lease cycles from the kill to the read showing the units taken. */
  readonly sinceKill: number;
  /** Its cycles from the first read showing it alone (PostgreSQL reaped the killed session) to that read. */
  readonly sinceReap: number;
}

/**
 * Waits until the survivor on `port` has taken the units over (`taken`) after its peer was killed at
 * the survivor's cycle `cyclesAtKill`. Cycles are the survivor's own, so slow cycles on a loaded
 * machine do not move them; how long PostgreSQL takes to reap the killed session does (it is not the
 * survivor's doing), so `sinceReap` counts from the first read that shows the survivor alone.
 */
export async function takeover(
  port: number,
  cyclesAtKill: number,
  taken: (health: LeaseHealth) => boolean,
  until: (check: () => Promise<boolean>, what: string) => Promise<void>,
): Promise<Takeover> {
  let reapedAt: number | undefined;
  let last: LeaseHealth | undefined;
  await until(async () => {
    last = await leaseHealth(port);
    if (!last) return false;
    if (reapedAt === undefined && last.liveInstances === 1) reapedAt = last.cycles;
    return reapedAt !== undefined && taken(last);
  }, 'the survivor, alone, takes the units over');
  const cycles = last?.cycles ?? Infinity;
  return { sinceKill: cycles - cyclesAtKill, sinceReap: cycles - (reapedAt ?? 0) };
}
