// What the overview page lists: stored contracts and the first configured timeframe to open them in.
import 'server-only';
import { BarstreamError } from '@barstream/core';
import type { ContractsResponse } from './api-schemas.ts';
import { contractsWithTimeframes } from './queries/contracts.ts';
import { webLogger } from './server/logger.ts';

export type Overview = (ContractsResponse & { readonly error: null }) | { readonly error: string };

/** Never throws: a failure becomes a message the page shows. */
export async function loadOverview(): Promise<Overview> {
  try {
    return { ...(await contractsWithTimeframes()), error: null };
  } catch (err) {
    webLogger().error({ err }, 'overview page: cannot load contracts');
    const reason = err instanceof BarstreamError ? err.message : 'the database is not reachable';
    return { error: `Cannot load contracts: ${reason}. Try again shortly.` };
  }
}
