// The database server's postmaster when it runs on this machine (the parent of a backend of ours): its
// process tree's CPU, with its exited backends', is what the database did (bench/lib/process-cpu.ts).
import { readFileSync } from 'node:fs';
import pg from 'pg';

/** Undefined when the server is not a local process (BENCH_DATABASE_URL elsewhere, or /proc unreadable). */
export async function postmasterPid(url: string): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const stat = readFileSync(`/proc/${rows[0]?.pid}/stat`, 'utf8');
    // Field 4 (ppid), the second after the parenthesised command name.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  } finally {
    await client.end();
  }
}
