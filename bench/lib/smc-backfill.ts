// The analyzer's SMC backfill of stored bars, as the service runs it at start: read the window's bars
// (binary COPY), run the live engine over them, COPY the events and zones, one transaction with the
// smc_update NOTIFY. Then the restart case: everything stored, recomputed and reconciled (no writes).
import { parseTimeframe, smcParams } from '../../core/src/index.ts';
import { createPool } from '../../core/src/node.ts';
import type { SmcInstance } from '../../analyzer/src/smc-instances.ts';
import { SmcRunner } from '../../analyzer/src/smc-runner.ts';
import { quietLogger } from '../../tests/support/quiet-logger.ts';
import { processTreeCpuMs } from './process-cpu.ts';

export interface SmcBackfillFigures {
  readonly backfillSeconds: number;
  readonly restartSeconds: number;
  /** CPU time of this process and its children (the embedded PostgreSQL): hardly depends on the machine's load. */
  readonly backfillCpuSeconds: number;
  readonly restartCpuSeconds: number;
  readonly events: number;
  readonly zones: number;
}

export async function smcBackfill(url: string, contractId: string, from: number, swingLength: number): Promise<SmcBackfillFigures> {
  const pool = createPool(url, { max: 4 });
  try {
    await pool.query('TRUNCATE smc_events, zones, smc_study_state');
    await pool.query('CHECKPOINT');
    const instance: SmcInstance = {
      studyId: 'bench',
      contractId,
      timeframe: parseTimeframe('1m'),
      timeframeLabel: '1m',
      params: smcParams({ swing_length: swingLength }),
      window: { from },
      key: `bench|${contractId}|1m`,
    };
    const counts = { events: 0, zones: 0 };
    const events = {
      onBars: () => undefined,
      onRows: (_i: SmcInstance, e: number, z: number) => {
        counts.events += e;
        counts.zones += z;
      },
      onRejectedBar: () => undefined,
    };
    let cpu = processTreeCpuMs(process.pid);
    let t = performance.now();
    const first = new SmcRunner(instance, pool, quietLogger('bench'), events);
    await first.catchUp();
    const backfillSeconds = (performance.now() - t) / 1000;
    const backfillCpuSeconds = (processTreeCpuMs(process.pid) - cpu) / 1000;
    if (first.lastError) throw first.lastError;
    const written = { ...counts };
    cpu = processTreeCpuMs(process.pid);
    t = performance.now();
    const second = new SmcRunner(instance, pool, quietLogger('bench'), events);
    await second.catchUp();
    const restartSeconds = (performance.now() - t) / 1000;
    const restartCpuSeconds = (processTreeCpuMs(process.pid) - cpu) / 1000;
    if (second.lastError) throw second.lastError;
    if (counts.events !== written.events || counts.zones !== written.zones) throw new Error('the restart rewrote rows it should have kept');
    return { backfillSeconds, restartSeconds, backfillCpuSeconds, restartCpuSeconds, ...written };
  } finally {
    await pool.end();
  }
}
