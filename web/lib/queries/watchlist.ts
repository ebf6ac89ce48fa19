// watchlist through Prisma: list, add (the contract must exist), update (active, notes), remove; each
// write NOTIFYs watchlist_changed in its own transaction so the ingester and the alerter follow it.
import { ConflictError, NotFoundError } from '@barstream/core';
import type { PrismaClient } from '@barstream/prisma';
import type { WatchlistAddBody, WatchlistUpdateBody, WireWatchlistEntry } from '../api/watchlist-schemas.ts';
import { notifyInTransaction } from './notify-in-transaction.ts';

type EntryRow = NonNullable<Awaited<ReturnType<PrismaClient['watchlistEntry']['findFirst']>>>;

function wireEntry(r: EntryRow): WireWatchlistEntry {
  return { contract_id: r.contractId, added_at: r.addedAt.toISOString(), is_active: r.isActive, notes: r.notes };
}

export async function listWatchlist(prisma: PrismaClient): Promise<{ entries: WireWatchlistEntry[] }> {
  const rows = await prisma.watchlistEntry.findMany({ orderBy: { contractId: 'asc' } });
  return { entries: rows.map(wireEntry) };
}

export async function addToWatchlist(prisma: PrismaClient, body: WatchlistAddBody): Promise<WireWatchlistEntry> {
  return prisma.$transaction(async (tx) => {
    const contract = await tx.contract.findUnique({ where: { id: body.contract_id }, select: { id: true } });
    if (!contract) {
      const known = await tx.contract.findMany({ select: { id: true }, orderBy: { id: 'asc' }, take: 50 });
      throw new NotFoundError(
        `contract '${body.contract_id}'`,
        known.map((c) => c.id),
      );
    }
    if (await tx.watchlistEntry.findUnique({ where: { contractId: body.contract_id } })) {
      throw new ConflictError(`'${body.contract_id}' is already in the watchlist`);
    }
    const row = await tx.watchlistEntry.create({ data: { contractId: body.contract_id, notes: body.notes, isActive: body.is_active } });
    if (row.isActive) {
      await notifyInTransaction(tx, 'watchlistChanged', { type: 'watchlist_changed', contract_id: row.contractId, action: 'added' });
    }
    return wireEntry(row);
  });
}

export async function updateWatchlistEntry(
  prisma: PrismaClient,
  contractId: string,
  body: WatchlistUpdateBody,
): Promise<WireWatchlistEntry> {
  return prisma.$transaction(async (tx) => {
    const current = await tx.watchlistEntry.findUnique({ where: { contractId } });
    if (!current) throw new NotFoundError(`watchlist entry '${contractId}'`);
    const row = await tx.watchlistEntry.update({
      where: { contractId },
      data: {
        ...(body.is_active === undefined ? {} : { isActive: body.is_active }),
        ...(body.notes === undefined ? {} : { notes: body.notes }),
      },
    });
    const action = row.isActive === current.isActive ? 'updated' : row.isActive ? 'added' : 'removed';
    await notifyInTransaction(tx, 'watchlistChanged', { type: 'watchlist_changed', contract_id: contractId, action });
    return wireEntry(row);
  });
}

export async function removeFromWatchlist(prisma: PrismaClient, contractId: string): Promise<{ deleted: WireWatchlistEntry }> {
  return prisma.$transaction(async (tx) => {
    const current = await tx.watchlistEntry.findUnique({ where: { contractId } });
    if (!current) throw new NotFoundError(`watchlist entry '${contractId}'`);
    await tx.watchlistEntry.delete({ where: { contractId } });
    await notifyInTransaction(tx, 'watchlistChanged', { type: 'watchlist_changed', contract_id: contractId, action: 'removed' });
    return { deleted: wireEntry(current) };
  });
}
