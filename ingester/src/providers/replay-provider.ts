// Replay provider: plays a CSV of bars or ticks at N× speed (Infinity: as fast as possible).
import { readFileSync } from 'node:fs';
import type { SessionCalendar, Trade } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import type { MarketDataProvider, ProviderSink } from './provider.ts';
import { readReplaySource } from './replay-source.ts';
import { afterStored, type StoredTail } from './stored-tail.ts';

export interface ReplayProviderOptions {
  readonly file: string;
  readonly speed: number;
  readonly calendarFor: (contractId: string) => SessionCalendar | undefined;
  readonly logger: Logger;
  /** Quiet stretches longer than this (stream time: weekends, breaks) are skipped over. */
  readonly maxGapMs?: number;
  readonly batchSize?: number;
}

export class ReplayProvider implements MarketDataProvider {
  readonly name = 'replay';
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private stored: ReadonlyMap<string, StoredTail> = new Map();

  constructor(private readonly options: ReplayProviderOptions) {}

  resumeAfter(stored: ReadonlyMap<string, StoredTail>): void {
    this.stored = stored;
  }

  async start(sink: ProviderSink): Promise<void> {
    const source = readReplaySource(readFileSync(this.options.file, 'utf8'), this.options.calendarFor);
    const { errors } = source;
    const trades = afterStored(source.trades, this.stored);
    for (const e of errors.slice(0, 20)) sink.onRejected(`replay file line ${e.line}: ${e.reason}`);
    this.options.logger.info(
      {
        file: this.options.file,
        trades: trades.length,
        alreadyStored: source.trades.length - trades.length,
        badRows: errors.length,
        speed: this.options.speed,
      },
      'replay loaded',
    );
    sink.onConnectionChange(true);
    if (Number.isFinite(this.options.speed)) this.paced(trades, sink);
    else this.asFastAsPossible(trades, sink);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private asFastAsPossible(trades: readonly Trade[], sink: ProviderSink): void {
    const size = this.options.batchSize ?? 20_000;
    let i = 0;
    const step = (): void => {
      if (this.stopped) return;
      sink.onTrades(trades.slice(i, i + size));
      i += size;
      if (i < trades.length) this.timer = setTimeout(step, 0);
      else sink.onEndOfStream?.();
    };
    step();
  }

  private paced(trades: readonly Trade[], sink: ProviderSink): void {
    const maxGap = this.options.maxGapMs ?? 15 * 60_000;
    let i = 0;
    let streamBase = trades[0]?.time ?? 0;
    let wallBase = Date.now();
    const tick = (): void => {
      if (this.stopped) return;
      const streamNow = streamBase + (Date.now() - wallBase) * this.options.speed;
      const next = trades[i];
      if (next && next.time - streamNow > maxGap) {
        streamBase = next.time;
        wallBase = Date.now();
      }
      const batch: Trade[] = [];
      while (i < trades.length && (trades[i] as Trade).time <= streamBase + (Date.now() - wallBase) * this.options.speed)
        batch.push(trades[i++] as Trade);
      if (batch.length > 0) sink.onTrades(batch);
      if (i < trades.length) this.timer = setTimeout(tick, 20);
      else sink.onEndOfStream?.();
    };
    tick();
  }
}
