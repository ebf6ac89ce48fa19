// A backfill longer than one page: the runner asks for the next page before computing the current
// one (so PostgreSQL reads beside the computation) and still feeds every bar once, in order.
import { describe, expect, it } from 'vitest';
import { BarColumns, type OhlcBar, registerStrategy } from '../../core/src/index.ts';
import { parseSettings } from '../../core/src/node/load-config.ts';
import type { Pool } from '../../core/src/node/db-pool.ts';
import { PAGE_SIZE } from '../../analyzer/src/closed-bars.ts';
import type { BarPageReader } from '../../analyzer/src/shared-bar-pages.ts';
import { TargetRunner, WRITE_BARS } from '../../analyzer/src/target-runner.ts';
import { analysisUnits } from '../../analyzer/src/targets.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { syntheticBars } from '../support/synthetic-bars.ts';
import { useTestDatabase } from '../support/use-test-database.ts';

let pool: Pool;
useTestDatabase((ground) => ({ pool } = ground));

/** Bars fed to the strategy so far; a signal on every SIGNAL_EVERY-th bar. */
let fed = 0;
const SIGNAL_EVERY = 997;
registerStrategy({
  id: 'test_paged_counter',
  description: 'counts the bars it is fed',
  create: () => ({
    update: (bar: OhlcBar) => (fed++ % SIGNAL_EVERY === 0 ? [{ type: 'counted', bar, price: bar.close, details: {} }] : []),
  }),
});

/** Bars fed to the dense strategy so far; a signal every DENSE_EVERY-th bar (enough for a bulk write per part). */
let denseFed = 0;
const DENSE_EVERY = 50;
registerStrategy({
  id: 'test_paged_dense',
  description: 'a signal every 50 bars',
  create: () => ({
    update: (bar: OhlcBar) => (denseFed++ % DENSE_EVERY === 0 ? [{ type: 'dense', bar, price: bar.close, details: {} }] : []),
  }),
});

describe('analyzer backfill over several pages', () => {
  it('reads page after page from the previous page’s last bar and stores what one batch computation finds', async () => {
    // Two full pages and a partial one; served from memory so the test needs no 200,000 stored bars.
    const bars = syntheticBars(2 * PAGE_SIZE + 1_234, { start: Date.parse('2024-01-01T00:00:00Z'), stepMs: 60_000, seed: 11 });
    const asked: Array<number | undefined> = [];
    const fedWhenAsked: number[] = [];
    const read: BarPageReader = (_unit, afterMs, limit = PAGE_SIZE) => {
      asked.push(afterMs);
      fedWhenAsked.push(fed);
      const from = afterMs === undefined ? 0 : bars.findIndex((b) => b.time > afterMs);
      return Promise.resolve(BarColumns.fromBars(from < 0 ? [] : bars.slice(from, from + limit)));
    };
    const settings = parseSettings({
      contracts: [{ id: 'PAGED', provider: 'simulated', symbol: 'PAGED', tick_size: 0.25, session_calendar: 'utc' }],
      ingester: { contracts: ['PAGED'] },
      analyzer: { targets: [{ analyzer_id: 'paged', strategy: 'test_paged_counter', contract_id: 'PAGED', timeframes: ['1m'] }] },
    });
    const [unit] = analysisUnits(settings);
    const events = { onBars: () => undefined, onSignals: () => undefined, onRejectedBar: () => undefined, onFailed: () => undefined };
    const runner = new TargetRunner(unit!, pool, quietLogger('analyzer'), events, read);
    await runner.catchUp();
    expect(runner.lastError).toBeUndefined();

    const last = (page: number): number => (bars[(page + 1) * PAGE_SIZE - 1] as OhlcBar).time;
    expect(asked).toEqual([undefined, last(0), last(1)]);
    // Each next page was asked for before the page before it was fed: the read overlaps the computation.
    expect(fedWhenAsked).toEqual([0, 0, PAGE_SIZE]);
    expect(fed).toBe(bars.length);
    expect(runner.watermark).toBe(bars[bars.length - 1]?.time);
    const { rows } = await pool.query<{ t: Date }>(
      `SELECT "timestamp" AS t FROM detected_signals WHERE contract_id = 'PAGED' ORDER BY "timestamp"`,
    );
    const want = bars.filter((_, i) => i % SIGNAL_EVERY === 0).map((b) => new Date(b.time).toISOString());
    expect(rows.map((r) => r.t.toISOString())).toEqual(want);
  }, 120_000);

  it('writes a page’s signals in parts while it feeds the rest of the page, each part committed in order with its watermark', async () => {
    const bars = syntheticBars(PAGE_SIZE + 10_000, { start: Date.parse('2024-06-01T00:00:00Z'), stepMs: 60_000, seed: 12 });
    const read: BarPageReader = (_unit, afterMs, limit = PAGE_SIZE) => {
      const from = afterMs === undefined ? 0 : bars.findIndex((b) => b.time > afterMs);
      return Promise.resolve(BarColumns.fromBars(from < 0 ? [] : bars.slice(from, from + limit)));
    };
    // A write takes its connection (inTransaction) as it starts: how many bars were fed by then.
    const fedAtWrite: number[] = [];
    const watched = {
      query: pool.query.bind(pool),
      connect: () => {
        fedAtWrite.push(denseFed);
        return pool.connect();
      },
    } as unknown as Pool;
    const settings = parseSettings({
      contracts: [{ id: 'PARTS', provider: 'simulated', symbol: 'PARTS', tick_size: 0.25, session_calendar: 'utc' }],
      ingester: { contracts: ['PARTS'] },
      analyzer: { targets: [{ analyzer_id: 'parts', strategy: 'test_paged_dense', contract_id: 'PARTS', timeframes: ['1m'] }] },
    });
    const [unit] = analysisUnits(settings);
    const committed: { bars: number; watermark: number | undefined }[] = [];
    const runner: TargetRunner = new TargetRunner(
      unit!,
      watched,
      quietLogger('analyzer'),
      {
        onBars: (_u, n) => committed.push({ bars: n, watermark: runner.watermark }),
        onSignals: () => undefined,
        onRejectedBar: () => undefined,
        onFailed: () => undefined,
      },
      read,
    );
    await runner.catchUp();
    expect(runner.lastError).toBeUndefined();

    // The first page in four parts, each written as soon as it was fed (the rest of the page is fed
    // while it is written), then the partial page.
    const parts = [WRITE_BARS, 2 * WRITE_BARS, 3 * WRITE_BARS, PAGE_SIZE, PAGE_SIZE + 10_000];
    expect(fedAtWrite).toEqual(parts);
    expect(committed).toEqual(parts.map((n, i) => ({ bars: n - (parts[i - 1] ?? 0), watermark: (bars[n - 1] as OhlcBar).time })));
    const { rows } = await pool.query<{ t: Date }>(
      `SELECT "timestamp" AS t FROM detected_signals WHERE contract_id = 'PARTS' ORDER BY "timestamp"`,
    );
    const want = bars.filter((_, i) => i % DENSE_EVERY === 0).map((b) => new Date(b.time).toISOString());
    expect(rows.map((r) => r.t.toISOString())).toEqual(want);
  }, 120_000);
});
