// Reads the histograms out of Prometheus text exposition (what every /metrics answers) and the
// quantile of one, estimated the way PromQL's histogram_quantile() does: linear within a bucket.

/** One histogram series: cumulative counts per upper bound (le), ascending, +Inf last. */
export interface HistogramSeries {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function parseLabels(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  if (text === undefined) return labels;
  for (const m of text.matchAll(LABEL))
    labels[m[1] as string] = (m[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  return labels;
}

/** A series' identity: its name and labels other than `le`, in a stable order. */
export function histogramSeriesKey(name: string, labels: Readonly<Record<string, string>>): string {
  const parts = Object.keys(labels)
    .filter((k) => k !== 'le')
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${name}{${parts.join(',')}}`;
}

/** Every histogram in an exposition, one entry per label set; other metric types are skipped. */
export function parseHistograms(exposition: string): HistogramSeries[] {
  const series = new Map<string, { name: string; labels: Record<string, string>; buckets: { le: number; count: number }[] }>();
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m || !(m[1] as string).endsWith('_bucket')) continue;
    const name = (m[1] as string).slice(0, -'_bucket'.length);
    const labels = parseLabels(m[2]);
    if (labels.le === undefined) continue;
    const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
    const count = Number(m[3]);
    if (Number.isNaN(le) || Number.isNaN(count)) continue;
    const key = histogramSeriesKey(name, labels);
    const { le: _le, ...rest } = labels;
    let entry = series.get(key);
    if (!entry) series.set(key, (entry = { name, labels: rest, buckets: [] }));
    entry.buckets.push({ le, count });
  }
  return [...series.values()].map((s) => ({ ...s, buckets: s.buckets.sort((a, b) => a.le - b.le) }));
}

/** What was observed between two scrapes of a series: `later` minus `earlier`, bucket by bucket.
 * A counter reset (the service restarted, counts fell) makes `later` the whole window. */
export function histogramDelta(later: HistogramSeries, earlier: HistogramSeries | undefined): HistogramSeries {
  if (!earlier) return later;
  const before = new Map(earlier.buckets.map((b) => [b.le, b.count]));
  const reset = later.buckets.some((b) => b.count < (before.get(b.le) ?? 0));
  if (reset) return later;
  return { ...later, buckets: later.buckets.map((b) => ({ le: b.le, count: b.count - (before.get(b.le) ?? 0) })) };
}

/** Adds series bucket by bucket (e.g. every channel of one stage); they must share bucket bounds. */
export function sumHistograms(name: string, series: readonly HistogramSeries[]): HistogramSeries {
  const totals = new Map<number, number>();
  for (const s of series) for (const b of s.buckets) totals.set(b.le, (totals.get(b.le) ?? 0) + b.count);
  const buckets = [...totals].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
  return { name, labels: {}, buckets };
}

/** The number of observations in a series (its +Inf bucket). */
export function histogramCount(series: HistogramSeries): number {
  return series.buckets[series.buckets.length - 1]?.count ?? 0;
}

/** The q-quantile (0 < q < 1) in the histogram's unit, or undefined with no observations. As in
 * PromQL: linear interpolation inside the bucket holding the rank, the first bucket starting at 0,
 * and a rank in the +Inf bucket answered with the highest finite bound. */
export function histogramQuantile(q: number, series: HistogramSeries): number | undefined {
  if (!(q > 0 && q < 1)) throw new RangeError(`quantile must be between 0 and 1 (exclusive), got ${q}`);
  const total = histogramCount(series);
  if (total <= 0) return undefined;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const { le, count } of series.buckets) {
    if (count >= rank) {
      if (le === Infinity) return lowerBound;
      const inBucket = count - lowerCount;
      return inBucket === 0 ? le : lowerBound + (le - lowerBound) * ((rank - lowerCount) / inBucket);
    }
    lowerBound = le;
    lowerCount = count;
  }
  return lowerBound;
}
