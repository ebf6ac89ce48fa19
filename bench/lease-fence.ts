// npm run bench:lease-fence — what the ingester's lease fence (migration 018, ingester/src/fence-check.ts)
// costs one small flush, where its share is largest: the live case's one-statement tick flush (a few ticks
// of 10 contracts, INSERT and NOTIFY in one statement), sent back to back on one connection, in blocks
// without the check, with it (fence locks: transaction advisory locks, then the epochs read) and with the
// design it replaced (FOR SHARE on the epoch rows, which writes each row's lock). Each variant has a
// connection of its own and they take turns flush by flush, so the machine's load drifts over all three
// alike (it is shared and busy); the figure is each backend's CPU per flush (/proc: the server must run on
// this machine, as the embedded one does), per block of flushes and the median of the blocks.
// Flags: --flushes N (per block, default 2,000), --rounds R (default 5), --contracts C (default 10).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { channels, isoWithMicros } from '../core/src/index.ts';
import { embeddedBenchDatabase } from './lib/bench-database.ts';
import { median } from './lib/median.ts';
import { figure, printLoad, printMachine } from './lib/report.ts';

const { values: flags } = parseArgs({
  options: {
    flushes: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '5' },
    contracts: { type: 'string', default: '10' },
  },
});
const FLUSHES = Number(flags.flushes);
const ROUNDS = Number(flags.rounds);
const CONTRACTS = Number(flags.contracts);
const TICKS_PER_CONTRACT = 2;
/** USER_HZ: /proc/<pid>/stat counts CPU in these. */
const TICKS_PER_SECOND = 100;

/** The replaced design, for comparison: the epoch rows share-locked (each flush writes their tuples' locks). */
const ROW_LOCK_CHECK = `
CREATE FUNCTION bench_fence_check_row_lock(p_service text, p_units text[], p_epochs bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  lost text;
BEGIN
  SELECT string_agg(c.unit, ', ') INTO lost
    FROM unnest(p_units, p_epochs) AS c(unit, epoch)
    LEFT JOIN (SELECT l.unit, l.epoch FROM lease_epochs l WHERE l.service = p_service AND l.unit = ANY (p_units) FOR SHARE) e
      ON e.unit = c.unit
   WHERE e.epoch IS DISTINCT FROM c.epoch OR c.epoch IS NULL;
  IF lost IS NOT NULL THEN
    RAISE EXCEPTION 'lease fence: % no longer holds %', p_service, lost USING ERRCODE = 'BSF01';
  END IF;
END $$`;

type Mode = 'none' | 'fence locks' | 'row locks (replaced)';
const MODES: readonly Mode[] = ['none', 'fence locks', 'row locks (replaced)'];

function backendCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

const db = await embeddedBenchDatabase();
const clients = MODES.map(() => new pg.Client({ connectionString: db.url }));
try {
  printMachine('bench:lease-fence', db.label);
  printLoad('before');
  for (const c of clients) await c.connect();
  const client = clients[0] as pg.Client;
  await client.query(ROW_LOCK_CHECK);
  const units = Array.from({ length: CONTRACTS }, (_, i) => `BENCH.${i}`);
  await client.query(`INSERT INTO lease_epochs (service, unit, epoch) SELECT 'ingester', unnest($1::text[]), 1`, [units]);
  const epochs = units.map(() => 1);
  const pids: number[] = [];
  for (const c of clients) pids.push((await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid as number);
  const checkOf: Record<Mode, string> = {
    none: '',
    'fence locks': `lease_fence_check('ingester', $7::text[], $8::int8[]) AS fenced, `,
    'row locks (replaced)': `bench_fence_check_row_lock('ingester', $7::text[], $8::int8[]) AS fenced, `,
  };
  let time = Date.parse('2026-01-05T14:30:00Z');
  /** One flush as tick-flush-statement.ts sends it: the INSERT of its ticks and one NOTIFY, one statement. */
  const flush = async (mode: Mode, c: pg.Client): Promise<void> => {
    const ids: string[] = [];
    const times: string[] = [];
    for (const unit of units) {
      for (let k = 0; k < TICKS_PER_CONTRACT; k++) {
        ids.push(unit);
        times.push(isoWithMicros((time += 1.5)));
      }
    }
    const n = ids.length;
    const sql = `WITH stored AS (INSERT INTO ticks (contract_id, "timestamp", price, volume, side)
        SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::float8[], $4::float8[], $5::text[]) RETURNING 1)
      SELECT ${checkOf[mode]}(SELECT count(*) FROM stored)::int AS stored, pg_notify('${channels.tickData.name}', $6)`;
    const params = [ids, times, ids.map(() => 100), ids.map(() => 1), ids.map(() => 'buy'), `{"n":${n}}`];
    await c.query(sql, mode === 'none' ? params : [...params, units, epochs]);
  };
  const backend: Record<Mode, number[]> = { none: [], 'fence locks': [], 'row locks (replaced)': [] };
  for (let round = 0; round < ROUNDS; round++) {
    await client.query('TRUNCATE ticks');
    const before = pids.map(backendCpuMs);
    for (let f = 0; f < FLUSHES; f++) {
      for (let m = 0; m < MODES.length; m++) await flush(MODES[m] as Mode, clients[m] as pg.Client);
    }
    MODES.forEach((mode, m) => backend[mode].push(((backendCpuMs(pids[m] as number) - (before[m] as number)) * 1000) / FLUSHES));
  }
  console.log(
    `\n## one-statement flush of ${CONTRACTS * TICKS_PER_CONTRACT} ticks over ${CONTRACTS} contracts, ${FLUSHES.toLocaleString('en-US')} flushes of each variant a block, taking turns, ${ROUNDS} blocks`,
  );
  const base = median(backend.none);
  for (const mode of MODES) {
    const b = median(backend[mode]);
    const runs = backend[mode].map((v) => v.toFixed(0)).join(', ');
    figure(`backend CPU per flush, ${mode}`, b, 'µs', `median; blocks ${runs}`);
    if (mode !== 'none') figure(`  added by the check`, b - base, 'µs', `${((100 * (b - base)) / base).toFixed(0)} %`);
  }
  printLoad('after');
} catch (err) {
  console.error('bench failed:', err);
  process.exitCode = 1;
} finally {
  for (const c of clients) await c.end().catch(() => undefined);
  await db.stop();
}
