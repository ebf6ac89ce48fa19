// Wire shapes of /api/watchlist*: an entry, the list, the add body and the update body.
import { z } from 'zod';
import { contractIdSchema } from './query-fields.ts';

const MAX_NOTES = 2_000;
const notesSchema = z.string({ error: 'must be a string' }).max(MAX_NOTES, `must be at most ${MAX_NOTES} characters`);

export const wireWatchlistEntrySchema = z
  .object({ contract_id: z.string(), added_at: z.string(), is_active: z.boolean(), notes: z.string() })
  .meta({ title: 'WatchlistEntry' });
export type WireWatchlistEntry = z.infer<typeof wireWatchlistEntrySchema>;

export const watchlistResponseSchema = z.object({ entries: z.array(wireWatchlistEntrySchema).describe('By contract id.') });

/** POST /api/watchlist. */
export const watchlistAddBodySchema = z.strictObject({
  contract_id: contractIdSchema,
  notes: notesSchema.default(''),
  is_active: z.boolean({ error: 'must be true or false' }).default(true),
});
export type WatchlistAddBody = z.output<typeof watchlistAddBodySchema>;

/** PATCH /api/watchlist/{contract_id}: at least one field. */
export const watchlistUpdateBodySchema = z
  .strictObject({ is_active: z.boolean({ error: 'must be true or false' }).optional(), notes: notesSchema.optional() })
  .refine((b) => b.is_active !== undefined || b.notes !== undefined, { message: 'give is_active or notes', path: ['body'] });
export type WatchlistUpdateBody = z.output<typeof watchlistUpdateBodySchema>;

export const deletedWatchlistResponseSchema = z.object({ deleted: wireWatchlistEntrySchema });
