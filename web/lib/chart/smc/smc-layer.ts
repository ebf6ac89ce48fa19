// The SMC rows of one chart: loaded from /api/smc/*, re-read from the changed bar on each `smc_update`
// the broadcaster relays for this contract and timeframe (and after a reconnect, a resync or a page
// back), and drawn by an SmcPrimitive on the candle series.
import { smcUpdateMessageSchema } from '@barstream/core';
import type { RangeParams } from '../chart-api.ts';
import { fetchSmcEvents, fetchSmcZones } from './smc-api.ts';
import { type ChartSmcEvent, type ChartZone, mergeRows, toChartEvent, toChartZone } from './smc-chart-rows.ts';
import { SmcPrimitive } from './smc-primitive.ts';
import type { SmcVisibility } from './smc-visibility.ts';

export interface SmcLayerOptions {
  readonly contractId: string;
  readonly timeframe: string;
  /** The candles on the chart (epoch seconds, oldest first): they place the rows. */
  readonly candleTimes: () => readonly { readonly time: number }[];
}

export class SmcLayer {
  readonly zones = new Map<string, ChartZone>();
  readonly events = new Map<string, ChartSmcEvent>();
  readonly primitive: SmcPrimitive;
  /** Loads finished and live updates applied (for tests: a count that only grows). */
  loads = 0;
  private readonly abort = new AbortController();
  private stopped = false;
  /** Loads run one after another: a slow older answer must never overwrite a newer one. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: SmcLayerOptions) {
    this.primitive = new SmcPrimitive({
      zones: () => this.zones.values(),
      events: () => this.events.values(),
      candleTimes: options.candleTimes,
    });
  }

  /** Rows whose life overlaps [from, …] (all by default: the newest up to the API limit). */
  load(range: Pick<RangeParams, 'from'> = {}): Promise<void> {
    this.queue = this.queue.then(() => this.loadNow(range));
    return this.queue;
  }

  private async loadNow(range: Pick<RangeParams, 'from'>): Promise<void> {
    const { contractId, timeframe } = this.options;
    const [events, zones] = await Promise.all([
      fetchSmcEvents(contractId, timeframe, range, this.abort.signal).catch(() => undefined),
      fetchSmcZones(contractId, timeframe, range, this.abort.signal).catch(() => undefined),
    ]);
    if (this.stopped) return;
    // Like signal markers, the drawing is a garnish: a failed read is retried by the next update or refetch.
    const from = range.from === undefined ? undefined : range.from / 1000;
    let changed = false;
    if (events) changed = mergeRows(this.events, events.events.map(toChartEvent), from) || changed;
    if (zones) changed = mergeRows(this.zones, zones.zones.map(toChartZone), from) || changed;
    this.loads++;
    if (changed) this.primitive.redraw();
  }

  /** A broadcaster `smc_update`: rows of this chart changed from `from` on; re-read them. */
  receive(message: unknown): void {
    const parsed = smcUpdateMessageSchema.safeParse(message);
    if (!parsed.success || this.stopped) return;
    const m = parsed.data;
    if (m.contract_id !== this.options.contractId || m.timeframe !== this.options.timeframe) return;
    void this.load({ from: Date.parse(m.from) });
  }

  setVisibility(visibility: SmcVisibility): void {
    this.primitive.setVisibility(visibility);
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
  }
}
