// Stores a sweep's finished runs in batches: their round trips by one COPY, their status, report and
// watermark by one UPDATE, one trade_update NOTIFY each, all in one transaction. Results that arrive
// while a batch is being written form the next batch, so the writes overlap the workers' simulations
// and a hundred runs cost a few transactions instead of a few each.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { channels, type TradeUpdateMessage } from '@barstream/core';
import { inTransaction, type Pool } from '@barstream/core/node';
import { from as copyFrom } from 'pg-copy-streams';
import type { SweepOutcome } from './sweep-outcome.ts';

const ms = (t: number): string => new Date(t).toISOString();

export class SweepResultWriter {
  private pending: SweepOutcome[] = [];
  private writing: Promise<void> | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly contractId: string,
  ) {}

  /** Queues a run's outcome; it is written with the others that arrive before the next write starts. */
  add(outcome: SweepOutcome): void {
    this.pending.push(outcome);
    this.writing ??= this.drain();
  }

  /** Waits until every queued outcome is stored; throws the first write's error. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.failure) throw this.failure;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0 && !this.failure) {
        const batch = this.pending;
        this.pending = [];
        await this.write(batch);
      }
    } catch (err) {
      this.failure = err as Error;
    } finally {
      this.writing = undefined;
    }
  }

  private async write(batch: readonly SweepOutcome[]): Promise<void> {
    const lines = batch.map((o) => o.tradeLines ?? '').filter((l) => l.length > 0);
    const messages = batch.map((o): TradeUpdateMessage => ({
      type: 'trade_update',
      run_id: o.runId,
      contract_id: this.contractId,
      status: o.error === undefined ? 'completed' : 'failed',
      through: o.through === undefined ? null : ms(o.through),
      orders: 0,
      fills: 0,
      trades: o.trades ?? 0,
      equity_points: 0,
      equity: null,
    }));
    await inTransaction(this.pool, async (client) => {
      if (lines.length > 0) {
        await pipeline(
          Readable.from(lines),
          client.query(
            copyFrom(
              'COPY trades (run_id, trade_no, side, entry_time, exit_time, qty, entry_price, exit_price, pnl, fees, bars) FROM STDIN',
            ),
          ),
        );
      }
      await client.query(
        `UPDATE strategy_runs r SET status = u.status, report = COALESCE(u.report::jsonb, r.report), error = COALESCE(u.error, r.error),
           progress = CASE WHEN u.status = 'completed' THEN 1 ELSE r.progress END,
           watermark = COALESCE(to_timestamp(u.through / 1000), r.watermark),
           halt_reason = COALESCE(u.halt_reason, r.halt_reason), halt_detail = COALESCE(u.halt_detail, r.halt_detail),
           started_at = COALESCE(r.started_at, now()), ended_at = now(), updated_at = now()
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::text[])
           AS u(run_id, status, report, error, through, halt_reason, halt_detail)
         WHERE r.run_id = u.run_id`,
        [
          batch.map((o) => o.runId),
          messages.map((m) => m.status),
          batch.map((o) => (o.report ? JSON.stringify(o.report) : null)),
          batch.map((o) => o.error ?? null),
          batch.map((o) => o.through ?? null),
          batch.map((o) => o.halt?.reason ?? null),
          batch.map((o) => o.halt?.detail ?? null),
        ],
      );
      await client.query('SELECT pg_notify($1, m) FROM unnest($2::text[]) AS m', [
        channels.tradeUpdate.name,
        messages.map((m) => JSON.stringify(m)),
      ]);
    });
  }
}
