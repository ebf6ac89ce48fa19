// The signals shown on one chart: trend starts from /api/trend-starts, other strategies' signals
// from /api/signals, and new ones as the broadcaster announces them. Keyed by signal id, so a
// refetch after a reconnect or a page back never duplicates a marker.
import { signalMessageSchema, signalsStoredMessageSchema } from '@barstream/core';
import type { WireSignal } from '../api/response-schemas.ts';
import { fetchSignals, fetchTrendStarts, type RangeParams } from './chart-api.ts';
import { type ChartSignal, toChartSignal } from './signal-markers.ts';

export interface SignalLayerOptions {
  readonly contractId: string;
  readonly timeframe: string;
  readonly trendAnalyzer: string;
  /** The set changed (a load, a refetch or a live signal). */
  readonly onChange: (signals: ReadonlyMap<number, ChartSignal>) => void;
}

export class SignalLayer {
  readonly signals = new Map<number, ChartSignal>();
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(private readonly options: SignalLayerOptions) {}

  /** Signals about bars in range (all by default: the newest of each kind up to the API limit). */
  async load(range: RangeParams = {}): Promise<void> {
    const { contractId, timeframe, trendAnalyzer } = this.options;
    const [trends, others] = await Promise.all([
      fetchTrendStarts(contractId, timeframe, trendAnalyzer, range, { signal: this.abort.signal }).catch(() => undefined),
      fetchSignals(contractId, timeframe, range, { signal: this.abort.signal }).catch(() => undefined),
    ]);
    if (this.stopped) return;
    // Markers are a garnish: whatever arrived is shown, a failed read is retried by the next refetch.
    const rows: WireSignal[] = [...(trends?.signals ?? []), ...(others?.signals ?? []).filter((s) => s.analyzer_id !== trendAnalyzer)];
    if (this.addAll(rows)) this.options.onChange(this.signals);
  }

  /** A broadcaster `signal` message: drawn if it is about this chart's contract and timeframe. */
  receive(message: unknown): void {
    const parsed = signalMessageSchema.safeParse(message);
    if (!parsed.success || this.stopped) return;
    const m = parsed.data;
    if (m.contract_id !== this.options.contractId || m.timeframe !== this.options.timeframe) return;
    if (this.addAll([m])) this.options.onChange(this.signals);
  }

  /** A broadcaster `signals_stored` summary (a backfill stored many at once): their range is re-read. */
  receiveStored(message: unknown): void {
    const parsed = signalsStoredMessageSchema.safeParse(message);
    if (!parsed.success || this.stopped) return;
    const m = parsed.data;
    if (m.contract_id !== this.options.contractId || m.timeframe !== this.options.timeframe) return;
    void this.load({ from: Date.parse(m.from), to: Date.parse(m.to) });
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
  }

  private addAll(rows: readonly WireSignal[]): boolean {
    let changed = false;
    for (const row of rows) {
      const s = toChartSignal(row, this.options.timeframe);
      if (!s) continue;
      const known = this.signals.get(s.signalId);
      if (known && known.time === s.time && known.signalType === s.signalType) continue;
      this.signals.set(s.signalId, s);
      changed = true;
    }
    return changed;
  }
}
