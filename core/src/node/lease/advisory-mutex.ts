// One instance at a time through a short critical section (e.g. creating what must exist once), on a
// session advisory lock of the service's lease namespace; waits while another instance is inside.
import { leaseKey, type LeaseService } from '../../leases/lease-key.ts';
import type { Pool } from '../db-pool.ts';

export async function withAdvisoryMutex<T>(pool: Pool, service: LeaseService, name: string, work: () => Promise<T>): Promise<T> {
  const key = leaseKey(service, `mutex|${name}`);
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (err: Error): void => {
    lost = err;
  };
  client.on('error', onError);
  try {
    await client.query('SELECT pg_advisory_lock($1::int4, $2::int4)', [key.namespace, key.hash]);
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::int4, $2::int4)', [key.namespace, key.hash]).catch(() => undefined);
    }
  } finally {
    client.off('error', onError);
    client.release(lost);
  }
}
