// NOTIFY from inside a Prisma transaction: the payload checked with its registry schema, sent with
// pg_notify so PostgreSQL delivers it only if the transaction's rows commit (store first, notify in
// the same transaction).
import { type ChannelKey, type ChannelPayload, channels } from '@barstream/core';
import type { PrismaClient } from '@barstream/prisma';

/** What a Prisma interactive transaction hands its callback. */
export type TransactionClient = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export async function notifyInTransaction<K extends ChannelKey>(tx: TransactionClient, key: K, payload: ChannelPayload<K>): Promise<void> {
  const channel = channels[key];
  const text = JSON.stringify(channel.schema.parse(payload));
  await tx.$executeRaw`SELECT pg_notify(${channel.name}, ${text})`;
}
