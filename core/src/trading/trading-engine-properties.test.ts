// Property tests (fast-check, fixed seed so a run is reproducible and never flaky): accounting identities,
// FIFO realized PnL, fees, fills inside their bar, determinism and replay == uninterrupted run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineEvent, EngineInput } from './engine-events.ts';
import { resumeEngine, runEngine } from './engine-run.ts';
import { type Instrument, toSteps, toTicks } from './instrument.ts';
import type { StrategyRunConfig } from './run-config-schema.ts';
import { PARAMS, runArb } from './test-run-arbitraries.ts';
import { ofType } from './test-fixtures.ts';
import { TradingEngine } from './trading-engine.ts';

function engineRun(config: StrategyRunConfig, inputs: readonly EngineInput[]) {
  return runEngine(config, { runId: 'p' }, inputs);
}

/** FIFO realized PnL per fill, computed apart from the engine: lots of [steps, ticks]. */
function fifoRealized(fills: Extract<EngineEvent, { type: 'fill' }>[], instrument: Instrument): number[] {
  const lots: [number, number][] = [];
  let net = 0;
  return fills.map((f) => {
    const buy = f.side === 'buy';
    let steps = toSteps(instrument, f.qty + instrument.qtyStep / 2);
    const ticks = toTicks(instrument, f.price);
    let realized = 0;
    while (steps > 0 && net !== 0 && net > 0 === !buy) {
      const lot = lots[0]!;
      const take = Math.min(lot[0], steps);
      realized += (buy ? lot[1] - ticks : ticks - lot[1]) * take * instrument.unitsPerTickStep;
      lot[0] -= take;
      steps -= take;
      net += buy ? take : -take;
      if (lot[0] === 0) lots.shift();
    }
    if (steps > 0) {
      lots.push([steps, ticks]);
      net += buy ? steps : -steps;
    }
    return realized;
  });
}

describe('trading engine properties', () => {
  it('equity = cash + position value = capital + realized + unrealized − fees, at every point', () => {
    // What the generated runs exercised: a property that holds over runs that never trade proves little.
    const seen = { barFills: 0, tickFills: 0, partial: 0, legs: 0, trades: 0, halts: 0, rejected: 0, dayExpired: 0 };
    fc.assert(
      fc.property(runArb, ({ config, inputs }) => {
        const { engine, events } = engineRun(config, inputs);
        const start = engine.account.startingCapital;
        for (const p of ofType(events, 'equity')) {
          expect(p.equity).toBe(p.cash + p.positionValue);
          expect(p.equity).toBe(start + p.realizedPnl + p.unrealizedPnl - p.fees);
        }
        for (const e of events) {
          if (e.type === 'fill') seen[config.fill_model.type === 'bar' ? 'barFills' : 'tickFills']++;
          else if (e.type === 'trade') seen.trades++;
          else if (e.type === 'halt') seen.halts++;
          else if (e.type === 'order') {
            if (e.order.status === 'partially_filled') seen.partial++;
            if (e.order.status === 'rejected') seen.rejected++;
            if (e.order.reason === 'day_expired') seen.dayExpired++;
            if (e.order.status === 'filled' && (e.order.role === 'stop_loss' || e.order.role === 'take_profit')) seen.legs++;
          }
        }
      }),
      PARAMS,
    );
    for (const [what, count] of Object.entries(seen)) expect(count, what).toBeGreaterThan(0);
  });

  it('realized PnL is the sum over closed FIFO lots, and fees the sum over fills', () => {
    fc.assert(
      fc.property(runArb, ({ config, inputs }) => {
        const { engine, events } = engineRun(config, inputs);
        const fills = ofType(events, 'fill');
        const expected = fifoRealized(fills, engine.instrument);
        expect(fills.map((f) => f.realizedPnl)).toEqual(expected);
        expect(engine.position.realized).toBe(expected.reduce((s, x) => s + x, 0));
        expect(engine.account.fees).toBe(fills.reduce((s, f) => s + f.fee, 0));
        const trades = ofType(events, 'trade');
        const open = engine.position.netSteps !== 0;
        // Closed round trips' net PnL + what the open one realized so far − its fees = realized − fees.
        if (!open) expect(trades.reduce((s, t) => s + t.pnl, 0)).toBe(engine.position.realized - engine.account.fees);
      }),
      PARAMS,
    );
  });

  it('no fill outside its bar’s range (bar model)', () => {
    fc.assert(
      fc.property(runArb, ({ config, inputs, bars }) => {
        if (config.fill_model.type !== 'bar') return;
        const byTime = new Map(bars.map((b) => [b.time, b]));
        for (const f of ofType(engineRun(config, inputs).events, 'fill')) {
          const bar = byTime.get(f.time)!;
          expect(f.price).toBeGreaterThanOrEqual(bar.low);
          expect(f.price).toBeLessThanOrEqual(bar.high);
        }
      }),
      PARAMS,
    );
  });

  it('identical inputs give identical outputs; a replay of the inputs then the rest equals the uninterrupted run', () => {
    fc.assert(
      fc.property(runArb, ({ config, inputs, cut }) => {
        const whole = engineRun(config, inputs).events;
        expect(engineRun(config, inputs).events).toEqual(whole);
        const before = engineRun(config, inputs.slice(0, cut)).events.length;
        const after: EngineEvent[] = [];
        const resumed = resumeEngine(config, { runId: 'p', emit: (e) => after.push(e) }, inputs.slice(0, cut));
        for (const input of inputs.slice(cut)) resumed.apply(input);
        expect(after).toEqual(whole.slice(before));
      }),
      PARAMS,
    );
  });

  it('reused equity points and bar inputs written over (what a backtest does) give the same records', () => {
    fc.assert(
      fc.property(runArb, ({ config, inputs }) => {
        const copied: EngineEvent[] = [];
        const reused = new Set<EngineEvent>();
        const engine = new TradingEngine(config, {
          runId: 'p',
          reuseEquityPoints: true,
          emit: (e) => {
            if (e.type === 'equity') reused.add(e);
            copied.push(e.type === 'equity' ? { ...e } : e);
          },
        });
        const bar = { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
        const barInput = { kind: 'bar', bar } as const;
        for (const input of inputs) {
          if (input.kind !== 'bar') engine.apply(input);
          else engine.apply((Object.assign(bar, input.bar), barInput));
        }
        expect(copied).toEqual(engineRun(config, inputs).events);
        expect(reused.size).toBe(inputs.some((i) => i.kind === 'bar') ? 1 : 0);
      }),
      PARAMS,
    );
  });

  it('a signal delivered twice (a restart re-reading signals) places no order twice', () => {
    fc.assert(
      fc.property(runArb, ({ config, inputs }) => {
        const doubled = inputs.flatMap((i): EngineInput[] => (i.kind === 'signal' ? [i, i] : [i]));
        expect(engineRun(config, doubled).events).toEqual(engineRun(config, inputs).events);
      }),
      PARAMS,
    );
  });
});
