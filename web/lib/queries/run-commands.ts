// Commands to running runs (manual order, cancel, replace, emergency stop): stored in run_commands
// (seq = next per run, at = now) and NOTIFYd in one transaction; the trader applies them as inputs.
import { ConflictError, NotFoundError } from '@barstream/core';
import type { EngineCommand } from '@barstream/core/trading';
import type { PrismaClient } from '@barstream/prisma';
import type { EmergencyStopBody } from '../api/run-bodies.ts';
import { type Db, notifyTradeUpdate, statusUpdate } from '../trading/trade-notify.ts';

export interface StoredCommand {
  run_id: number;
  seq: number;
}

interface LockedRun {
  run_id: bigint;
  contract_id: string;
  status: string;
  watermark: Date | null;
}

async function appendCommand(tx: Db, run: LockedRun, command: EngineCommand): Promise<StoredCommand> {
  const last = await tx.runCommand.aggregate({ where: { runId: run.run_id }, _max: { seq: true } });
  const seq = (last._max.seq ?? 0) + 1;
  // EngineCommand is plain JSON; Prisma's JSON input type wants an index signature its interfaces lack.
  const json: object = command;
  await tx.runCommand.create({ data: { runId: run.run_id, seq, at: new Date(), command: json } });
  await notifyTradeUpdate(
    tx,
    statusUpdate({ runId: run.run_id, contractId: run.contract_id, status: run.status, watermark: run.watermark }),
  );
  return { run_id: Number(run.run_id), seq };
}

/** One command to one running run; the row lock orders concurrent commands' seq. */
export async function sendCommand(prisma: PrismaClient, runId: bigint, command: EngineCommand): Promise<StoredCommand> {
  return prisma.$transaction(async (tx) => {
    const [run] = await tx.$queryRaw<LockedRun[]>`
      SELECT run_id, contract_id, status, watermark FROM strategy_runs WHERE run_id = ${runId} FOR UPDATE`;
    if (!run) throw new NotFoundError(`run ${runId}`);
    if (run.status !== 'running') throw new ConflictError(`run ${runId} is ${run.status}; commands go to a running run`);
    return appendCommand(tx, run, command);
  });
}

/** An emergency_stop command to every running run, in one transaction. */
export async function emergencyStopAll(
  prisma: PrismaClient,
  command: Extract<EngineCommand, { type: 'emergency_stop' }>,
): Promise<{ commands: StoredCommand[] }> {
  return prisma.$transaction(async (tx) => {
    const runs = await tx.$queryRaw<LockedRun[]>`
      SELECT run_id, contract_id, status, watermark FROM strategy_runs WHERE status = 'running' ORDER BY run_id FOR UPDATE`;
    const commands: StoredCommand[] = [];
    for (const run of runs) commands.push(await appendCommand(tx, run, command));
    return { commands };
  });
}

export function emergencyStopCommand(body: EmergencyStopBody): Extract<EngineCommand, { type: 'emergency_stop' }> {
  return {
    type: 'emergency_stop',
    ...(body.reason === undefined ? {} : { reason: body.reason }),
    ...(body.flatten === undefined ? {} : { flatten: body.flatten }),
  };
}
