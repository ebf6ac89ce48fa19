// The trader parses a tick_data_channel payload only when a tick-model paper run trades one of its
// contracts (the ingester NOTIFYs every contract's ticks): counted on /metrics as skipped, parsed or
// rejected. Payloads of other contracts, valid or not, are skipped unparsed; a bad payload of a traded
// contract is rejected and counted.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TickPayloadBuilder } from '@barstream/core';
import { loadConfig, type Pool } from '@barstream/core/node';
import { describe, expect, it } from 'vitest';
import { TraderService } from '../../trader/src/trader-service.ts';
import { eventually } from '../support/eventually.ts';
import { quietLogger } from '../support/quiet-logger.ts';
import { type TestDatabase } from '../support/test-database.ts';
import { CONTRACT } from '../support/trading-fixture.ts';
import { useTradingDatabase } from '../support/trading-database.ts';

let db: TestDatabase;
let pool: Pool;
const { settings } = loadConfig();
useTradingDatabase([], (ground) => ({ db, pool } = ground));

const tick = { timestamp: '2025-03-04T15:05:00.010500Z', price: 5600.75, volume: 1, side: 'unknown' };

async function payloadCounts(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out: Record<string, number> = { skipped: 0, parsed: 0, rejected: 0 };
  for (const m of text.matchAll(/^trader_tick_payloads_total\{[^}]*outcome="(\w+)"[^}]*\} (\d+)$/gm)) out[m[1] as string] = Number(m[2]);
  return out;
}

describe('trader tick payloads', () => {
  it('parses only the payloads of contracts a tick-model run trades', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bs-tick-payloads-'));
    writeFileSync(
      join(dir, 'tick-run.yaml'),
      `id: tick-payloads\nmode: paper\nfill_model: { type: tick, seed: 1 }\ncontract: ${CONTRACT}\ntimeframe: 5m\n` +
        `instrument: { kind: future, tick_size: 0.25, tick_value: 1.25, initial_margin: 1500 }\n` +
        `signals: { analyzer_id: ema_cross, strategy: ema_cross, map: { buy: entry_long } }\nsizing: { type: fixed, qty: 1 }\n` +
        `starting_capital: 10000\n`,
    );
    const trader = new TraderService({
      settings: { ...settings, trader: { ...settings.trader, strategies_dir: dir, scan_interval_ms: 60_000 } },
      rootDir: dir,
      databaseUrl: db.url,
      logger: quietLogger('trader'),
      metricsPort: 0,
    });
    try {
      await trader.start();
      expect([...trader.runs.values()].filter((r) => r.series.ticks).map((r) => r.row.config.contract)).toEqual([CONTRACT]);
      const port = trader.metricsPort as number;
      const notify = async (payload: unknown): Promise<void> =>
        void (await pool.query(`SELECT pg_notify('tick_data_channel', $1)`, [
          typeof payload === 'string' ? payload : JSON.stringify(payload),
        ]));
      // In this order (one session's NOTIFYs arrive in order): what each one is counted as.
      await notify({ type: 'ticks', contract_id: 'OTHER.A', ticks: [tick] }); // skipped
      await notify({
        type: 'ticks',
        contracts: [
          { contract_id: 'OTHER.A', ticks: [tick] },
          { contract_id: 'OTHER.B', ticks: [tick] },
        ],
      }); // skipped
      await notify({ type: 'ticks', contract_id: 'OTHER.A', ticks: [{ ...tick, price: 'not a price' }] }); // skipped: not parsed at all
      await notify({ type: 'ticks', contract_id: CONTRACT, ticks: [tick] }); // parsed
      await notify({
        type: 'ticks',
        contracts: [
          { contract_id: 'OTHER.A', ticks: [tick] },
          { contract_id: CONTRACT, ticks: [tick] },
        ],
      }); // parsed
      await notify({ type: 'ticks', contract_id: CONTRACT, ticks: [{ ...tick, price: 'not a price' }] }); // rejected
      await notify('{"type":"ticks","contract_id":'); // no contract readable: parsed, rejected (not JSON)
      // The ingester's columnar form, built as it builds it.
      const columns = (...ids: string[]): string => {
        const builder = new TickPayloadBuilder();
        for (const id of ids)
          builder.add({ contractId: id, time: Date.parse(tick.timestamp) + 0.5, price: tick.price, volume: 1, side: 'buy' });
        return builder.finish()[0] as string;
      };
      await notify(columns('OTHER.A', 'OTHER.B')); // skipped
      await notify(columns('OTHER.A', CONTRACT)); // parsed
      await notify(columns(CONTRACT).replace('"v":1', '"v":2')); // rejected: a version this trader does not know
      const total = (c: Record<string, number>): number => (c.skipped ?? 0) + (c.parsed ?? 0) + (c.rejected ?? 0);
      await eventually(async () => total(await payloadCounts(port)) === 10);
      expect(await payloadCounts(port)).toEqual({ skipped: 4, parsed: 3, rejected: 3 });
    } finally {
      await trader.stop();
    }
  });
});
