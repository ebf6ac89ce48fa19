// Quotes travel on the tick channel (coalesced per contract) and never touch bars.
import { describe, expect, it } from 'vitest';
import type { Pool } from '../../core/src/node.ts';
import { minutePipeline } from '../support/minute-pipeline.ts';
import { ChannelListener } from '../support/channel-listener.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

let db: TestDatabase;
let pool: Pool;
useTestDatabase((ground) => ({ db, pool } = ground));

describe('quote relay', () => {
  it('relays the latest merged quote per contract and rejects bad ones', async () => {
    const listener = await ChannelListener.listen(db.url, 'tickData');
    const { pipeline, metrics } = minutePipeline({ pool, contractId: 'Q', graceMs: 0, flushIntervalMs: 50, maxClockSkewMs: 60_000 });
    pipeline.start();
    const now = Date.now();
    pipeline.onQuote({ contractId: 'Q', time: now, bestBid: 99.5, bestAsk: 100 });
    pipeline.onQuote({ contractId: 'Q', time: now + 1, lastPrice: 99.75, bestBid: 99.5, bestAsk: 100 });
    pipeline.onQuote({ contractId: 'NOPE', time: now, bestBid: 1 });
    pipeline.onQuote({ contractId: 'Q', time: now, bestBid: -1 });
    await pipeline.stop(); // flushes what is buffered
    const received = await listener.take(1); // delivery is asynchronous: wait for it, then for any extra
    await listener.end();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      type: 'ticks',
      contract_id: 'Q',
      ticks: [],
      quotes: [{ last_price: 99.75, best_bid: 99.5, best_ask: 100 }],
    });
    const bars = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ohlc_bars');
    expect(bars.rows[0]?.n).toBe(0);
    const rejected = (await metrics.ticksRejected.get()).values.reduce((s, v) => s + v.value, 0);
    expect(rejected).toBe(2);
  });
});
