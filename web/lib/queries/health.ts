// Whether the database answers a trivial query within a short deadline.
import 'server-only';
import { db } from '../server/db.ts';

/** A health probe must answer even when PostgreSQL hangs rather than refuses. */
const PROBE_TIMEOUT_MS = 2_000;

export async function databaseReachable(): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const probe = db().$queryRaw`SELECT 1`.then(
      () => true,
      () => false,
    );
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
    });
    return await Promise.race([probe, timeout]);
  } catch {
    return false; // db() itself failed: no config or an unusable URL
  } finally {
    clearTimeout(timer);
  }
}
