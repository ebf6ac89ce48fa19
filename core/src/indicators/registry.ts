// Indicator registry: parses names like `ema_20` / `macd_12_26_9` / `bb_20_2` into factories and computes whole series by name.
//
// Name grammar: `<kind>_<param>[_<param>...]`, lower case, parameters in canonical decimal form
// (no leading zeros, signs, exponents or trailing `.0`), so every accepted name is the one string
// that denotes its configuration:
//   sma_<n>  ema_<n>  rsi_<n>  atr_<n>  macd_<fast>_<slow>_<signal>  bb_<n>_<k>
// Periods are integers (ranges per indicator, max 100000); Bollinger's k is a decimal > 0 (bb_20_2.5).
// Unknown kinds throw IndicatorError 'UNKNOWN_INDICATOR'; wrong arity or bad values throw
// 'INVALID_PARAMS'. Both messages quote the full name.
import type { OhlcBar } from '../bar.ts';
import type { BollingerValue, IndicatorValue, MacdValue, StreamingIndicator } from './indicator.ts';
import { IndicatorError } from './indicator-error.ts';
import { toBarColumns, type BarColumns } from './bar-columns.ts';
import { Sma, smaSeries } from './sma.ts';
import { Ema, emaSeries } from './ema.ts';
import { Rsi, rsiSeries } from './rsi.ts';
import { Atr, atrSeries } from './atr.ts';
import { Macd, macdSeries } from './macd.ts';
import { BollingerBands, bollingerSeries } from './bollinger-bands.ts';

/** A parsed, validated indicator name: how to build its streaming form and compute its batch form. */
export interface IndicatorDefinition<V extends IndicatorValue = IndicatorValue> {
  /** The canonical name (identical to the accepted input name). */
  readonly name: string;
  readonly kind: IndicatorKind;
  readonly params: readonly number[];
  /** Bars needed before the first value; same as `create().warmupBars`. */
  readonly warmupBars: number;
  create(): StreamingIndicator<V>;
  /**
   * Batch computation over a bar history (strictly increasing times, finite prices): one point per
   * bar, `value` omitted during warm-up. Backs computeIndicatorSeries.
   */
  points(bars: readonly OhlcBar[]): IndicatorPoint<V>[];
}

/** One point of a computed series; `value` is absent while the indicator is warming up. */
export interface IndicatorPoint<V extends IndicatorValue = IndicatorValue> {
  readonly time: number;
  readonly value?: V;
}

export const INDICATOR_KINDS = ['sma', 'ema', 'rsi', 'atr', 'macd', 'bb'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

/** The standard configurations the rest of the system uses. */
export const DEFAULT_INDICATOR_NAMES = ['sma_20', 'ema_20', 'ema_50', 'rsi_14', 'macd_12_26_9', 'atr_14', 'bb_20_2'] as const;

/** Value type produced by an indicator name, resolved at compile time where the name is a literal. */
export type IndicatorValueFor<N extends string> = N extends `macd_${string}`
  ? MacdValue
  : N extends `bb_${string}`
    ? BollingerValue
    : N extends `${'sma' | 'ema' | 'rsi' | 'atr'}_${string}`
      ? number
      : IndicatorValue;

type ParamKind = 'period' | 'decimal';

interface KindSpec {
  readonly params: readonly ParamKind[];
  readonly usage: string;
  build(name: string, p: readonly number[]): IndicatorDefinition;
}

/** Batch output column (NaN = warm-up) to points; values are allocated straight into the point objects. */
function columnToPoints(time: Float64Array, column: Float64Array): IndicatorPoint<number>[] {
  const out = new Array<IndicatorPoint<number>>(column.length);
  for (let i = 0; i < column.length; i++) {
    const value = column[i]!;
    out[i] = Number.isNaN(value) ? { time: time[i]! } : { time: time[i]!, value };
  }
  return out;
}

function singleLine(
  name: string,
  kind: IndicatorKind,
  params: readonly number[],
  create: () => StreamingIndicator<number>,
  compute: (cols: BarColumns) => Float64Array,
): IndicatorDefinition<number> {
  // Construct once up front so bad parameter values throw at lookup time, not on first use.
  const warmupBars = create().warmupBars;
  return {
    name,
    kind,
    params,
    warmupBars,
    create,
    points: (bars) => {
      const cols = toBarColumns(bars, name);
      return columnToPoints(cols.time, compute(cols));
    },
  };
}

const KIND_SPECS: ReadonlyMap<string, KindSpec> = new Map<IndicatorKind, KindSpec>([
  [
    'sma',
    {
      params: ['period'],
      usage: 'sma_<period>',
      build: (name, [n]) =>
        singleLine(
          name,
          'sma',
          [n!],
          () => new Sma(n!),
          (c) => smaSeries(c.close, n!),
        ),
    },
  ],
  [
    'ema',
    {
      params: ['period'],
      usage: 'ema_<period>',
      build: (name, [n]) =>
        singleLine(
          name,
          'ema',
          [n!],
          () => new Ema(n!),
          (c) => emaSeries(c.close, n!),
        ),
    },
  ],
  [
    'rsi',
    {
      params: ['period'],
      usage: 'rsi_<period>',
      build: (name, [n]) =>
        singleLine(
          name,
          'rsi',
          [n!],
          () => new Rsi(n!),
          (c) => rsiSeries(c.close, n!),
        ),
    },
  ],
  [
    'atr',
    {
      params: ['period'],
      usage: 'atr_<period>',
      build: (name, [n]) =>
        singleLine(
          name,
          'atr',
          [n!],
          () => new Atr(n!),
          (c) => atrSeries(c.high, c.low, c.close, n!),
        ),
    },
  ],
  [
    'macd',
    {
      params: ['period', 'period', 'period'],
      usage: 'macd_<fast>_<slow>_<signal>',
      build: (name, [fast, slow, signal]): IndicatorDefinition<MacdValue> => {
        const create = (): Macd => new Macd(fast!, slow!, signal!);
        return {
          name,
          kind: 'macd',
          params: [fast!, slow!, signal!],
          warmupBars: create().warmupBars,
          create,
          points: (bars) => {
            const { time, close } = toBarColumns(bars, name);
            const cols = macdSeries(close, fast!, slow!, signal!);
            const out = new Array<IndicatorPoint<MacdValue>>(bars.length);
            for (let i = 0; i < out.length; i++) {
              const macd = cols.macd[i]!;
              out[i] = Number.isNaN(macd)
                ? { time: time[i]! }
                : { time: time[i]!, value: { macd, signal: cols.signal[i]!, histogram: cols.histogram[i]! } };
            }
            return out;
          },
        };
      },
    },
  ],
  [
    'bb',
    {
      params: ['period', 'decimal'],
      usage: 'bb_<period>_<k>',
      build: (name, [n, k]): IndicatorDefinition<BollingerValue> => {
        const create = (): BollingerBands => new BollingerBands(n!, k!);
        return {
          name,
          kind: 'bb',
          params: [n!, k!],
          warmupBars: create().warmupBars,
          create,
          points: (bars) => {
            const { time, close } = toBarColumns(bars, name);
            const cols = bollingerSeries(close, n!, k!);
            const out = new Array<IndicatorPoint<BollingerValue>>(bars.length);
            for (let i = 0; i < out.length; i++) {
              const middle = cols.middle[i]!;
              out[i] = Number.isNaN(middle)
                ? { time: time[i]! }
                : { time: time[i]!, value: { middle, upper: cols.upper[i]!, lower: cols.lower[i]! } };
            }
            return out;
          },
        };
      },
    },
  ],
]);

function invalidParams(name: string, detail: string): IndicatorError {
  return new IndicatorError('INVALID_PARAMS', `Invalid indicator name "${name}": ${detail}`);
}

function parseParam(name: string, token: string, kind: ParamKind, position: number): number {
  const value = Number(token);
  // Canonical form only: the token must be exactly how JavaScript prints the number.
  if (token === '' || String(value) !== token) {
    throw invalidParams(name, `parameter ${position} "${token}" is not a number in canonical decimal form`);
  }
  if (kind === 'period' && !Number.isSafeInteger(value)) {
    throw invalidParams(name, `parameter ${position} "${token}" must be a whole number`);
  }
  return value;
}

/**
 * Parses and validates an indicator name. Throws IndicatorError: 'UNKNOWN_INDICATOR' for an unknown
 * kind, 'INVALID_PARAMS' for a wrong parameter count or an out-of-range / non-canonical parameter.
 */
export function getIndicatorDefinition(name: string): IndicatorDefinition {
  if (typeof name !== 'string') {
    throw new IndicatorError('UNKNOWN_INDICATOR', `Unknown indicator ${String(name)}: name must be a string`);
  }
  const [kind = '', ...tokens] = name.split('_');
  const spec = KIND_SPECS.get(kind);
  if (spec === undefined) {
    throw new IndicatorError(
      'UNKNOWN_INDICATOR',
      `Unknown indicator "${name}": kind "${kind}" is not one of ${INDICATOR_KINDS.join(', ')}`,
    );
  }
  if (tokens.length !== spec.params.length) {
    throw invalidParams(name, `expected ${spec.usage} (${spec.params.length} parameter(s)), got ${tokens.length}`);
  }
  const params = tokens.map((token, i) => parseParam(name, token, spec.params[i]!, i + 1));
  try {
    return spec.build(name, params);
  } catch (err) {
    // Range errors from the indicator constructors: re-throw naming the full indicator name.
    if (err instanceof IndicatorError) throw invalidParams(name, err.message);
    throw err;
  }
}

/** Builds a fresh streaming indicator from its name (see getIndicatorDefinition for errors). */
export function createIndicator<N extends string>(name: N): StreamingIndicator<IndicatorValueFor<N>> {
  return getIndicatorDefinition(name).create() as StreamingIndicator<IndicatorValueFor<N>>;
}

/**
 * Computes an indicator over a complete bar history with the batch kernels. Returns one point per
 * bar; `value` is omitted during warm-up. Bars must have strictly increasing times
 * ('OUT_OF_ORDER_BAR') and finite prices ('INVALID_INPUT').
 */
export function computeIndicatorSeries<N extends string>(name: N, bars: readonly OhlcBar[]): IndicatorPoint<IndicatorValueFor<N>>[] {
  return getIndicatorDefinition(name).points(bars) as IndicatorPoint<IndicatorValueFor<N>>[];
}
