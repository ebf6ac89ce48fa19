// One series' evaluation state (contract, timeframe): its indicators, fed once per closed bar and shared by every rule on it.
import type { OhlcBar } from '../bar.ts';
import { ValidationError } from '../errors.ts';
import type { IndicatorValue, StreamingIndicator } from '../indicators/indicator.ts';
import { createIndicator } from '../indicators/registry.ts';
import { Sma } from '../indicators/sma.ts';
import { BarTimes } from './bar-times.ts';

/** ATR every series computes for the confidence score (see confidence.ts). */
export const REFERENCE_ATR = 'atr_14';
/** Volume average every series computes for the confidence score. */
export const REFERENCE_VOLUME_PERIOD = 20;

export class SeriesState {
  readonly contractId: string;
  readonly timeframe: string;
  readonly times = new BarTimes();
  /** The last closed bar, undefined before the first. */
  latest: OhlcBar | undefined = undefined;
  /** Each indicator's value at `latest` (undefined while warming up). */
  readonly values = new Map<string, IndicatorValue | undefined>();
  private readonly indicators: StreamingIndicator<IndicatorValue>[];
  private readonly volumeSmas: ReadonlyMap<number, Sma>;
  /** SMA(volume, n) of the n bars before `latest`, by n (undefined until n bars preceded it). */
  private readonly volumeAverages = new Map<number, number | undefined>();

  constructor(contractId: string, timeframe: string, indicatorNames: Iterable<string>, volumePeriods: Iterable<number>) {
    this.contractId = contractId;
    this.timeframe = timeframe;
    this.indicators = [...new Set([REFERENCE_ATR, ...indicatorNames])].map((name) => createIndicator(name));
    this.volumeSmas = new Map([...new Set([REFERENCE_VOLUME_PERIOD, ...volumePeriods])].map((n) => [n, new Sma(n)]));
  }

  /** Commits the next closed bar; a bar not after the latest is a ValidationError and changes nothing. */
  update(bar: OhlcBar): void {
    const last = this.latest;
    if (last !== undefined && !(bar.time > last.time)) {
      throw new ValidationError(
        'bar.time',
        `${this.contractId} ${this.timeframe}: bar ${new Date(bar.time).toISOString()} is not after the last one (${new Date(last.time).toISOString()})`,
      );
    }
    for (const [n, sma] of this.volumeSmas) {
      // Read before the update: a spike is measured against the bars before it.
      this.volumeAverages.set(n, sma.value);
      // The registry's SMA reads `close`; volume goes in its place.
      sma.update({ time: bar.time, open: bar.volume, high: bar.volume, low: bar.volume, close: bar.volume, volume: 0 });
    }
    for (const indicator of this.indicators) this.values.set(indicator.name, indicator.update(bar));
    this.times.push(bar.time);
    this.latest = bar;
  }

  /** SMA(volume, n) over the n bars before the latest one. */
  volumeAverage(n: number): number | undefined {
    return this.volumeAverages.get(n);
  }

  /** The value of a single-line indicator (e.g. atr_14) at the latest bar. */
  number(name: string): number | undefined {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : undefined;
  }
}
