// A ProviderSink that records everything a provider reports, plus a poll-until helper for tests.
import { tradeIdText, type Trade } from '@barstream/core';
import type { ProviderSink, Quote } from '../../ingester/src/providers/provider.ts';

export class RecordingSink implements ProviderSink {
  readonly trades: Trade[] = [];
  readonly quotes: Quote[] = [];
  readonly rejected: { reason: string; detail: unknown }[] = [];
  readonly connection: boolean[] = [];

  onTrades(trades: readonly Trade[]): void {
    this.trades.push(...trades);
  }

  onQuote(quote: Quote): void {
    this.quotes.push(quote);
  }

  onRejected(reason: string, detail?: unknown): void {
    this.rejected.push({ reason, detail });
  }

  onConnectionChange(connected: boolean): void {
    this.connection.push(connected);
  }

  tradeIds(symbol?: string): string[] {
    return this.trades.filter((t) => symbol === undefined || t.contractId === symbol).map((t) => tradeIdText(t.tradeId) ?? '');
  }
}

/** Polls `condition` every few ms; throws naming `what` if it is still false after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
