// One Prisma client per server process, created on first use and kept on globalThis so that
// route bundles (and dev-server reloads) share it instead of each opening a pool.
import 'server-only';
import { databaseUrl } from '@barstream/core/node';
import { createPrismaClient, type PrismaClient } from '@barstream/prisma';
import { webConfig } from './config.ts';

/** Connections per web process: requests are short reads, so a small pool suffices. */
const POOL_SIZE = 5;

const holder = globalThis as typeof globalThis & { __barstreamPrisma?: PrismaClient };

export function db(): PrismaClient {
  holder.__barstreamPrisma ??= createPrismaClient(databaseUrl(webConfig().settings), { max: POOL_SIZE });
  return holder.__barstreamPrisma;
}
