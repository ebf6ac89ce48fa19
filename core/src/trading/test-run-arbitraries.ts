// fast-check arbitraries of whole engine runs for the property tests: a config (futures or crypto, bar or
// tick model, sizing, SL/TP ladder, time stop, participation, fees, slippage, drawdown limit, TIF) and its
// inputs (tick-grid bars with gaps, ticks and quotes in the tick model, signals, manual orders, commands).
import fc from 'fast-check';
import type { OhlcBar } from '../bar.ts';
import type { EngineInput } from './engine-events.ts';
import { type Instrument, instrumentFromSpec, tickPrice } from './instrument.ts';
import { parseStrategyRunConfig, type StrategyRunConfig } from './run-config-schema.ts';

export const PARAMS = { seed: 14, numRuns: 200 } as const;
const T0 = Date.parse('2024-03-01T23:30:00Z'); // runs past 6 bars cross a UTC midnight: sessions change
const STEP = 5 * 60_000;
const SIGNALS = ['uptrend_start', 'downtrend_start', 'exit_now', 'flip', 'unmapped'] as const;

const configArb = fc.record({
  crypto: fc.boolean(),
  tick: fc.boolean(),
  sizing: fc.oneof(
    fc.record({ type: fc.constant('fixed' as const), qty: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ type: fc.constant('percent_of_equity' as const), percent: fc.integer({ min: 5, max: 100 }) }),
  ),
  stop: fc.option(fc.integer({ min: 1, max: 24 }), { nil: undefined }),
  targets: fc.array(fc.record({ ticks: fc.integer({ min: 1, max: 40 }), fraction: fc.constantFrom(0.25, 0.5, 1) }), { maxLength: 2 }),
  timeStop: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
  opposite: fc.constantFrom('ignore' as const, 'exit' as const, 'reverse' as const),
  participation: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
  slip: fc.integer({ min: 0, max: 2 }),
  fee: fc.integer({ min: 0, max: 100 }),
  maxDrawdown: fc.option(fc.integer({ min: 50, max: 2000 }), { nil: undefined }),
  tif: fc.constantFrom('gtc' as const, 'day' as const),
});

type ConfigChoice = typeof configArb extends fc.Arbitrary<infer T> ? T : never;

function buildConfig(c: ConfigChoice): StrategyRunConfig {
  const fractions = c.targets.reduce((s, t) => s + t.fraction, 0);
  return parseStrategyRunConfig({
    id: 'prop',
    kind: 'paper',
    contract: c.crypto ? 'ETHUSDT' : 'MES',
    timeframe: '5m',
    signals: { analyzer_id: 'a', map: { uptrend_start: 'entry_long', downtrend_start: 'entry_short', exit_now: 'exit', flip: 'reverse' } },
    instrument: c.crypto
      ? { kind: 'crypto', tick_size: 0.01, qty_step: 0.001, leverage: 5 }
      : { kind: 'future', tick_size: 0.25, tick_value: 1.25, initial_margin: 50 },
    fill_model: c.tick ? { type: 'tick', seed: 3 } : { type: 'bar' },
    sizing: c.sizing,
    exits: {
      stop_loss: c.stop === undefined ? undefined : { ticks: c.stop },
      take_profit: fractions <= 1 ? c.targets : [],
      time_stop_bars: c.timeStop,
      on_opposite_signal: c.opposite,
    },
    fees: c.crypto ? { bps: c.fee / 10 } : { per_contract: c.fee / 100 },
    slippage: { ticks: c.slip },
    participation: c.participation === undefined ? undefined : { max_pct_of_volume: c.participation },
    risk: { max_drawdown: c.maxDrawdown, flatten_on_halt: true },
    starting_capital: 10_000,
    order_tif: c.tif,
  });
}

/** `arb` on about one bar in `every` (fc.option's freq is the other way round: how often it is *absent*). */
function sometimes<T>(arb: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: every - 1 }, { arbitrary: arb, weight: 1 });
}

const barStepArb = fc.record({
  gap: fc.integer({ min: -6, max: 6 }),
  move: fc.integer({ min: -12, max: 12 }),
  up: fc.integer({ min: 0, max: 8 }),
  down: fc.integer({ min: 0, max: 8 }),
  volume: fc.integer({ min: 0, max: 60 }),
  signal: sometimes(fc.constantFrom(...SIGNALS), 3),
  manual: sometimes(
    fc.record({
      type: fc.constantFrom('limit' as const, 'stop' as const, 'stop_limit' as const),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      offset: fc.integer({ min: -10, max: 10 }),
      tif: fc.constantFrom('gtc' as const, 'day' as const),
    }),
    8,
  ),
  command: sometimes(
    fc.constantFrom(
      'cancel_last' as const,
      'replace_last' as const,
      'replace_last' as const,
      'cancel_last' as const,
      'emergency_stop' as const,
    ),
    15,
  ),
});

/** Inputs of one run: bars on the tick grid (ticks and quotes inside each bar first in the tick model), signals and commands after each bar. */
function buildInputs(
  steps: readonly (typeof barStepArb extends fc.Arbitrary<infer T> ? T : never)[],
  instrument: Instrument,
  tickModel: boolean,
): { inputs: EngineInput[]; bars: OhlcBar[] } {
  // Prices as a feed writes them (3999.97, not 399997 × 0.01).
  const px = (ticks: number): number => tickPrice(instrument, ticks);
  const tickSize = instrument.tickSize;
  const inputs: EngineInput[] = [];
  const bars: OhlcBar[] = [];
  let close = 4000 / tickSize;
  let lastManual = '';
  steps.forEach((s, i) => {
    const time = T0 + i * STEP;
    const open = close + s.gap;
    close = open + s.move;
    const high = Math.max(open, close) + s.up;
    const low = Math.min(open, close) - s.down;
    const bar: OhlcBar = { time, open: px(open), high: px(high), low: px(low), close: px(close), volume: s.volume };
    if (tickModel) {
      for (const [k, p] of [open, high, low, close].entries()) {
        inputs.push({ kind: 'trade', time: time + k * 1000, price: px(p), size: s.volume });
        inputs.push({ kind: 'quote', time: time + k * 1000 + 500, bid: px(p - 1), ask: px(p) });
      }
    }
    bars.push(bar);
    inputs.push({ kind: 'bar', bar });
    const after = time + STEP - 1;
    if (s.signal) inputs.push({ kind: 'signal', key: `k${i}`, type: s.signal, time: after });
    if (s.manual) {
      const limit = px(close - s.manual.offset);
      const stop = px(close + (s.manual.side === 'buy' ? 1 : -1) * Math.abs(s.manual.offset));
      lastManual = `m${i}`;
      inputs.push({
        kind: 'command',
        time: after,
        command: {
          type: 'submit',
          order: {
            clientOrderId: lastManual,
            side: s.manual.side,
            type: s.manual.type,
            qty: 1,
            tif: s.manual.tif,
            ...(s.manual.type === 'stop' ? {} : { limitPrice: limit }),
            ...(s.manual.type === 'limit' ? {} : { stopPrice: stop }),
          },
        },
      });
    }
    if (s.command === 'emergency_stop') inputs.push({ kind: 'command', time: after, command: { type: 'emergency_stop' } });
    else if (s.command && lastManual) {
      inputs.push({
        kind: 'command',
        time: after,
        command:
          s.command === 'cancel_last'
            ? { type: 'cancel', clientOrderId: lastManual }
            : { type: 'replace', clientOrderId: lastManual, qty: 2 },
      });
    }
  });
  return { inputs, bars };
}

export const runArb = fc
  .record({ config: configArb, steps: fc.array(barStepArb, { minLength: 1, maxLength: 120, size: 'max' }), cut: fc.nat() })
  .map((r) => {
    const config = buildConfig(r.config);
    const { inputs, bars } = buildInputs(r.steps, instrumentFromSpec(config.instrument), r.config.tick);
    return { config, inputs, bars, cut: r.cut % (inputs.length + 1) };
  });
