// NOTIFY trade_update inside the transaction that wrote the run's rows (store first, notify in the
// same transaction): the trader picks up new runs and commands, pages refetch.
import { channels, type ChannelPayload } from '@barstream/core';
import type { PrismaClient } from '@barstream/prisma';

/** A Prisma client or the client of an interactive transaction. */
export type Db = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export interface RunForNotify {
  readonly runId: bigint;
  readonly contractId: string;
  readonly status: string;
  readonly watermark: Date | null;
}

/** A summary that wrote no records: a run's status changed or it received a command. */
export function statusUpdate(run: RunForNotify): ChannelPayload<'tradeUpdate'> {
  return channels.tradeUpdate.schema.parse({
    type: 'trade_update',
    run_id: Number(run.runId),
    contract_id: run.contractId,
    status: run.status,
    through: run.watermark?.toISOString() ?? null,
    orders: 0,
    fills: 0,
    trades: 0,
    equity_points: 0,
    equity: null,
  });
}

export async function notifyTradeUpdate(tx: Db, payload: ChannelPayload<'tradeUpdate'>): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${channels.tradeUpdate.name}, ${JSON.stringify(payload)})`;
}
