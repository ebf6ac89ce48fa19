// PATCH /api/watchlist/{contract_id}: switch on/off or edit notes; DELETE: stop watching.
import { ValidationError } from '@barstream/core';
import { contractIdSchema } from '@/lib/api/query-fields.ts';
import { apiWrite } from '@/lib/api/write-route-handler.ts';
import { writeRoutes } from '@/lib/api/write-routes.ts';
import { removeFromWatchlist, updateWatchlistEntry } from '@/lib/queries/watchlist.ts';
import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';

function contractParameter(text: string | undefined): string {
  const result = contractIdSchema.safeParse(text);
  if (!result.success) throw new ValidationError('contract_id', result.error.issues[0]?.message ?? 'is invalid');
  return result.data;
}

export const PATCH = apiWrite(writeRoutes.updateWatchlist, (body, params) =>
  updateWatchlistEntry(db(), contractParameter(params.contract_id), body),
);

export const DELETE = apiWrite(writeRoutes.removeWatchlist, (_body, params) =>
  removeFromWatchlist(db(), contractParameter(params.contract_id)),
);
