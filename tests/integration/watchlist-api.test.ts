// The watchlist API on a real PostgreSQL (Prisma, as the route handlers run it): every write stored
// and watchlist_changed NOTIFYd in its transaction; an unknown contract 404, a duplicate 409, bad
// bodies a ValidationError naming the field; nothing stored or NOTIFYd for any of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ConflictError, NotFoundError } from '../../core/src/errors.ts';
import { watchlistAddBodySchema, watchlistUpdateBodySchema } from '../../web/lib/api/watchlist-schemas.ts';
import { addToWatchlist, listWatchlist, removeFromWatchlist, updateWatchlistEntry } from '../../web/lib/queries/watchlist.ts';
import { body, fieldOf, useApiDatabase } from '../support/api-database.ts';
import { ChannelListener } from '../support/channel-listener.ts';

const db = useApiDatabase();
const count = (table: string): Promise<number> => db.count(table);

describe('/api/watchlist', () => {
  let listener: ChannelListener<'watchlistChanged'>;
  beforeAll(async () => {
    listener = await ChannelListener.listen(db.database.url, 'watchlistChanged');
  });
  afterAll(() => listener.end());

  it('adds, edits notes, switches off and removes, each NOTIFYing watchlist_changed', async () => {
    const added = await addToWatchlist(db.prisma, body(watchlistAddBodySchema, { contract_id: 'SIM.MES', notes: 'the main one' }));
    expect(added).toMatchObject({ contract_id: 'SIM.MES', notes: 'the main one', is_active: true });
    expect(await listener.take(1, 0)).toEqual([{ type: 'watchlist_changed', contract_id: 'SIM.MES', action: 'added' }]);
    expect((await updateWatchlistEntry(db.prisma, 'SIM.MES', body(watchlistUpdateBodySchema, { notes: 'n2' }))).notes).toBe('n2');
    expect(await listener.take(1, 0)).toEqual([{ type: 'watchlist_changed', contract_id: 'SIM.MES', action: 'updated' }]);
    expect((await updateWatchlistEntry(db.prisma, 'SIM.MES', body(watchlistUpdateBodySchema, { is_active: false }))).is_active).toBe(false);
    expect(await listener.take(1, 0)).toEqual([{ type: 'watchlist_changed', contract_id: 'SIM.MES', action: 'removed' }]);
    expect((await removeFromWatchlist(db.prisma, 'SIM.MES')).deleted.contract_id).toBe('SIM.MES');
    expect(await listener.take(1, 0)).toEqual([{ type: 'watchlist_changed', contract_id: 'SIM.MES', action: 'removed' }]);
    expect((await listWatchlist(db.prisma)).entries).toEqual([]);
  });

  it('refuses an unknown contract (404, listing the stored ones) and a duplicate (409); nothing stored or NOTIFYd', async () => {
    const unknown = await addToWatchlist(db.prisma, body(watchlistAddBodySchema, { contract_id: 'SIM.NOPE' })).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect((unknown as NotFoundError).available).toEqual(['SIM.MES', 'SIM.MNQ']);
    expect(await count('watchlist')).toBe(0);
    await addToWatchlist(db.prisma, body(watchlistAddBodySchema, { contract_id: 'SIM.MNQ' }));
    await expect(addToWatchlist(db.prisma, body(watchlistAddBodySchema, { contract_id: 'SIM.MNQ' }))).rejects.toBeInstanceOf(ConflictError);
    await expect(removeFromWatchlist(db.prisma, 'SIM.MES')).rejects.toBeInstanceOf(NotFoundError);
    await removeFromWatchlist(db.prisma, 'SIM.MNQ');
    // Only the good writes' NOTIFYs, in order.
    expect((await listener.take(2, 0)).map((m) => m.action)).toEqual(['added', 'removed']);
  });

  it.each([
    [watchlistAddBodySchema, { contract_id: 'bad id!' }, 'contract_id'],
    [watchlistAddBodySchema, {}, 'contract_id'],
    [watchlistAddBodySchema, { contract_id: 'SIM.MES', notes: 7 }, 'notes'],
    [watchlistUpdateBodySchema, {}, 'body'],
    [watchlistUpdateBodySchema, { is_active: 'yes' }, 'is_active'],
  ] as const)('body %#: %j → 400 naming %s', (schema, json, field) => {
    expect(fieldOf(() => body(schema as z.ZodType, json))).toBe(field);
  });
});
