// npm run bench:trade — the trading engine alone (core/src/trading): a signal-driven MES run with SL/TP
// in ticks over 1,000,000 synthetic 1m bars (target ≥ 2,000,000 bars/s on one core). A signal every
// SIGNAL_EVERY bars, alternating uptrend/downtrend starts; inputs are built before the clock starts, and
// the engine's records go to a sink that counts them. BENCH_BARS overrides 1,000,000.
import type { EngineInput } from '../core/src/trading/index.ts';
import { CME_CALENDAR, SessionCalendar } from '../core/src/session-calendar.ts';
import { parseStrategyRunConfig, type SessionBoundaries, TradingEngine } from '../core/src/trading/index.ts';
import { syntheticBars } from '../tests/support/synthetic-bars.ts';
import { figure, printLoad, printMachine } from './lib/report.ts';

const N = Number(process.env.BENCH_BARS ?? 1_000_000);
const SIGNAL_EVERY = 20;
const RUNS = 5;
const START = Date.parse('2020-01-01T00:00:00Z');

printMachine('trading engine, in memory (signal-driven MES run, SL 8 / TP 16 ticks, bar fill model)');
printLoad('before');

const config = parseStrategyRunConfig({
  id: 'bench',
  kind: 'backtest',
  from: '2020-01-01T00:00:00Z',
  to: '2030-01-01T00:00:00Z',
  contract: 'CON.F.US.MES.H24',
  timeframe: '1m',
  signals: { analyzer_id: 'bench', map: { uptrend_start: 'entry_long', downtrend_start: 'entry_short' } },
  instrument: { kind: 'future', tick_size: 0.25, tick_value: 1.25, initial_margin: 1500 },
  sizing: { type: 'fixed', qty: 1 },
  exits: { stop_loss: { ticks: 8 }, take_profit: [{ ticks: 16 }], on_opposite_signal: 'reverse' },
  fees: { per_contract: 0.62 },
  slippage: { ticks: 1 },
  starting_capital: 100_000,
});

const bars = syntheticBars(N, { start: START, stepMs: 60_000, seed: 7 });
const inputs: EngineInput[] = [];
for (let i = 0; i < N; i++) {
  const bar = bars[i]!;
  inputs.push({ kind: 'bar', bar });
  if (i % SIGNAL_EVERY === SIGNAL_EVERY - 1) {
    inputs.push({
      kind: 'signal',
      key: String(i),
      type: (i / SIGNAL_EVERY) % 2 < 1 ? 'uptrend_start' : 'downtrend_start',
      time: bar.time + 59_999,
    });
  }
}

function once(sessions?: SessionBoundaries): { seconds: number; cpuSeconds: number; records: number; fills: number } {
  let records = 0;
  let fills = 0;
  const engine = new TradingEngine(config, {
    runId: 'bench',
    ...(sessions ? { sessions } : {}),
    emit: (e) => {
      records++;
      if (e.type === 'fill') fills++;
    },
  });
  const cpu = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < inputs.length; i++) engine.apply(inputs[i]!);
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6, records, fills };
}

once(); // warm-up (JIT), not counted
const results = Array.from({ length: RUNS }, () => once()).sort((a, b) => a.seconds - b.seconds);
const median = results[RUNS >> 1]!;
figure(
  `engine, ${N.toLocaleString('en-US')} bars (median of ${RUNS})`,
  N / median.seconds,
  'bars/s',
  `target ≥ 2,000,000; best ${Math.round(N / results[0]!.seconds).toLocaleString('en-US')}`,
);
// On a loaded machine wall time includes time spent descheduled; CPU time shows the work itself (the
// process's user + system time, which also counts the garbage collector's helper threads).
const byCpu = results.map((r) => r.cpuSeconds).sort((a, b) => a - b);
figure(`engine, by process CPU time (median of ${RUNS})`, N / byCpu[RUNS >> 1]!, 'bars/s', 'user+system');
// The same run with CME Globex sessions (what the trader will pass): the calendar is asked once per session.
const cme = new SessionCalendar(CME_CALENDAR);
const withCalendar = Array.from({ length: 3 }, () => once(cme)).sort((a, b) => a.cpuSeconds - b.cpuSeconds);
figure('engine with the CME session calendar, CPU time', N / withCalendar[1]!.cpuSeconds, 'bars/s', 'median of 3');
figure(
  'records emitted per run',
  median.records,
  '',
  `${median.fills.toLocaleString('en-US')} fills, ${(N / SIGNAL_EVERY).toLocaleString('en-US')} signals`,
);
printLoad('after');
