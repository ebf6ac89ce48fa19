// Live == batch through storage: MES bars stored one at a time (4h, 1h: every bar checked; 5m: in
// chunks, sampled checks) through the analyzer's SMC runner and a real PostgreSQL; after each checked
// bar the stored smc_events / zones rows equal the batch answer on the bars so far, and a row stored as
// confirmed is never written again (its updated_at, a per-transaction witness, never moves), also
// across a restart halfway.
import { describe, expect, it } from 'vitest';
import {
  type ContractBar,
  type OhlcBar,
  parseMesCsv,
  parseTimeframe,
  smcParams,
  type SmcParams,
  type SmcTableRow,
} from '../../core/src/index.ts';
import type { Pool } from '../../core/src/node/db-pool.ts';
import { writeFlush } from '../../ingester/src/bar-store.ts';
import type { SmcInstance } from '../../analyzer/src/smc-instances.ts';
import { SmcRunner } from '../../analyzer/src/smc-runner.ts';
import { readStoredSmcRows } from '../../analyzer/src/smc-stored-rows.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { hasSharedData, readShared } from '../support/shared-data.ts';
import { batchTableRows, rowDifferences } from '../support/smc-batch-rows.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

const CONTRACT = 'CON.F.US.MES.M25';
let pool: Pool;
useTestDatabase((ground) => ({ pool } = ground));

function instance(timeframe: string, params: SmcParams, from: number): SmcInstance {
  const tf = parseTimeframe(timeframe);
  return {
    studyId: `live_batch_${params.swing_length}`,
    contractId: CONTRACT,
    timeframe: tf,
    timeframeLabel: timeframe,
    params,
    window: { from },
    key: `live_batch|${CONTRACT}|${timeframe}`,
  };
}

/** A stored row tagged confirmed, and when it was last written. */
interface Witness {
  row: string;
  updatedAt: number;
}

async function confirmedWitnesses(inst: SmcInstance): Promise<Map<string, Witness>> {
  const out = new Map<string, Witness>();
  for (const table of ['smc_events', 'zones']) {
    const { rows } = await pool.query<{ study: string; t: number; u: number; r: string }>(
      `SELECT study, (extract(epoch FROM bar_time) * 1000)::float8 AS t, (extract(epoch FROM updated_at) * 1e6)::float8 AS u,
        row_to_json(x)::text AS r FROM (SELECT * FROM ${table}) x
       WHERE study_id = $1 AND contract_id = $2 AND timeframe = $3 AND confirmed`,
      [inst.studyId, inst.contractId, inst.timeframeLabel],
    );
    for (const r of rows) out.set(`${r.study}|${r.t}`, { row: r.r, updatedAt: r.u });
  }
  return out;
}

async function replayThroughStorage(
  timeframe: string,
  params: SmcParams,
  chunkSize: (k: number) => number,
  checkEvery: number,
): Promise<{ checks: number; confirmed: number; rows: number }> {
  const bars = parseMesCsv(readShared(`MES_M25_${timeframe}.csv`)).bars;
  const tf = parseTimeframe(timeframe);
  const inst = instance(timeframe, params, bars[0]!.time);
  const newRunner = () =>
    new SmcRunner(inst, pool, quietLogger('smc'), { onBars: () => undefined, onRows: () => undefined, onRejectedBar: () => undefined });
  let runner = newRunner();
  let restarted = false;
  const toContractBar = (b: OhlcBar): ContractBar => ({ ...b, contractId: CONTRACT, unit: tf.unit, value: tf.value, isClosed: true });
  const confirmed = new Map<string, Witness>();
  let checks = 0;
  let rows = 0;
  let k = 0;
  for (let at = 0; at < bars.length; k++) {
    const next = Math.min(bars.length, at + chunkSize(k));
    await writeFlush(pool, bars.slice(at, next).map(toContractBar), []);
    at = next;
    // Halfway, a restart: the recompute (batch + the engine's tags) must leave every stored row as the
    // live engine wrote it, confirmed rows untouched (their witness below would move).
    if (!restarted && at >= bars.length / 2) {
      runner = newRunner();
      restarted = true;
    }
    await runner.catchUp();
    expect(runner.lastError).toBeUndefined();
    expect(runner.through).toBe(bars[at - 1]!.time);
    if (k % checkEvery !== 0 && at < bars.length) continue;
    checks++;
    const stored: Map<string, SmcTableRow> = await readStoredSmcRows(pool, inst);
    const differences = rowDifferences(stored, batchTableRows(bars.slice(0, at), params));
    expect(differences, `${timeframe} after bar ${at - 1}`).toEqual([]);
    rows = stored.size;
    const now = await confirmedWitnesses(inst);
    for (const [key, before] of confirmed) {
      expect(now.get(key), `${timeframe} ${key} was confirmed, then changed by bar ${at - 1}`).toEqual(before);
    }
    for (const [key, w] of now) confirmed.set(key, w);
  }
  return { checks, confirmed: confirmed.size, rows };
}

describe.skipIf(!hasSharedData)('SMC through storage: stored rows == batch after each bar (MES)', () => {
  it('4h, every bar', async () => {
    const r = await replayThroughStorage('4h', smcParams({ swing_length: 5 }), () => 1, 1);
    expect(r.checks).toBe(316);
    expect(r.confirmed).toBeGreaterThan(50);
    expect(r.rows).toBeGreaterThan(r.confirmed);
  }, 300_000);

  it('1h, every bar (close_break false, joined FVGs, close mitigation)', async () => {
    const params = smcParams({ swing_length: 10, close_break: false, join_consecutive: true, close_mitigation: true });
    const r = await replayThroughStorage('1h', params, () => 1, 1);
    expect(r.checks).toBe(943);
    expect(r.confirmed).toBeGreaterThan(100);
  }, 600_000);

  it('5m, in chunks of 1–37 bars, every 7th chunk checked', async () => {
    // Deterministic chunk sizes: a catch-up of many bars and single bars both go through the runner.
    const r = await replayThroughStorage('5m', smcParams({ swing_length: 20 }), (k) => 1 + ((k * 7919) % 37), 7);
    expect(r.checks).toBeGreaterThan(70);
    expect(r.confirmed).toBeGreaterThan(500);
  }, 600_000);
});
