import type { Trade } from '@barstream/core';
import { describe, expect, it } from 'vitest';
import type { Quote } from './provider.ts';
import type { TradeStreamSink } from './reconnecting-feed.ts';
import { TradeBatchingSink } from './trade-batching-sink.ts';

const trade = (n: number): Trade => ({ contractId: 'BTC-USD', time: n, price: 100 + n, volume: 1, side: 'buy', tradeId: String(n) });
const quote: Quote = { contractId: 'BTC-USD', time: 1, bestBid: 99, bestAsk: 101 };

/** Every call the sink received, in order. */
function recordingSink(): { sink: TradeStreamSink; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    sink: {
      onTrades: (trades) => calls.push(`trades ${trades.map((t) => t.tradeId).join(',')}`),
      onQuote: () => calls.push('quote'),
      onRejected: (reason) => calls.push(`rejected ${reason}`),
      onConnectionChange: (connected) => calls.push(`connected ${connected}`),
    },
  };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('TradeBatchingSink', () => {
  it('hands on the trades of one turn as one call, in order, once the turn is over', async () => {
    const { sink, calls } = recordingSink();
    const batching = new TradeBatchingSink(sink, () => undefined);
    batching.onTrades([trade(1), trade(2)]);
    batching.onTrades([]);
    batching.onTrades([trade(3)]);
    expect(calls).toEqual([]);
    await turn();
    batching.onTrades([trade(4)]);
    await turn();
    expect(calls).toEqual(['trades 1,2,3', 'trades 4']);
  });

  it('flushes the trades held back before any other call, so the order of calls is kept', async () => {
    const { sink, calls } = recordingSink();
    const batching = new TradeBatchingSink(sink, () => undefined);
    batching.onTrades([trade(1)]);
    batching.onQuote(quote);
    batching.onTrades([trade(2)]);
    batching.onRejected('bad frame');
    batching.onTrades([trade(3)]);
    batching.onConnectionChange(false);
    batching.onTrades([trade(4)]);
    await turn();
    expect(calls).toEqual(['trades 1', 'quote', 'trades 2', 'rejected bad frame', 'trades 3', 'connected false', 'trades 4']);
  });

  it('flush() hands on at once, and nothing is handed on twice', async () => {
    const { sink, calls } = recordingSink();
    const batching = new TradeBatchingSink(sink, () => undefined);
    batching.onTrades([trade(1)]);
    batching.flush();
    expect(calls).toEqual(['trades 1']);
    await turn();
    expect(calls).toEqual(['trades 1']);
  });

  it('reports a sink that throws from the deferred hand-on instead of throwing where nothing catches it', async () => {
    const errors: unknown[] = [];
    const batching = new TradeBatchingSink(
      {
        ...recordingSink().sink,
        onTrades: () => {
          throw new Error('sink failed');
        },
      },
      (error) => errors.push(error),
    );
    batching.onTrades([trade(1)]);
    await turn();
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('sink failed');
  });
});
