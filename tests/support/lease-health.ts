// The leases a service process reports on its /health (leases: held units, lease cycles run).

export interface LeaseHealth {
  readonly held: string[];
  readonly cycles: number;
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
