// What the overview page lists: each stored contract's market summary, the timeframe its link
// opens, or why nothing can be listed.
import 'server-only';
import { BarstreamError, compareTimeframes, parseTimeframe, type Timeframe } from '@barstream/core';
import type { BroadcasterEndpoint } from './chart/broadcaster-endpoint.ts';
import { defaultTimeframe } from './default-timeframe.ts';
import { contractsWithTimeframes } from './queries/contracts.ts';
import { contractSummary, type ContractSummary } from './queries/market-summary.ts';
import { webConfig } from './server/config.ts';
import { webLogger } from './server/logger.ts';
import { broadcasterEndpoint } from './trends-view.ts';

export type Overview =
  | {
      readonly error: null;
      readonly rows: readonly ContractSummary[];
      /** Contract id → the timeframe its chart link opens (one with trend starts, see default-timeframe.ts). */
      readonly timeframes: Readonly<Record<string, string>>;
      readonly renderedAt: string;
      /** Where the page streams trades and signals from. */
      readonly broadcaster: BroadcasterEndpoint;
    }
  | { readonly error: string };

/** The finest configured timeframe of at least a minute (what provider history is built from). */
export function priceTimeframe(timeframes: readonly string[]): Timeframe {
  const parsed = timeframes.map((t) => parseTimeframe(t)).sort(compareTimeframes);
  return parsed.find((tf) => tf.unit >= 2) ?? parsed[0] ?? parseTimeframe('1m');
}

/** Never throws: a failure becomes a message the page shows. */
export async function loadOverview(now = Date.now()): Promise<Overview> {
  try {
    const { settings } = webConfig();
    const { contracts, timeframes } = await contractsWithTimeframes();
    const tf = priceTimeframe(timeframes);
    const rows = await Promise.all(contracts.map((c) => contractSummary(c, tf, now)));
    const links = Object.fromEntries(contracts.map((c) => [c.id, defaultTimeframe(settings, c.id)]));
    return { error: null, rows, timeframes: links, renderedAt: new Date(now).toISOString(), broadcaster: broadcasterEndpoint(settings) };
  } catch (err) {
    webLogger().error({ err }, 'overview page: cannot load contracts');
    const reason = err instanceof BarstreamError ? err.message : 'the database is not reachable';
    return { error: `Cannot load contracts: ${reason}. Try again shortly.` };
  }
}
