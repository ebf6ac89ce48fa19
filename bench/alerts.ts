// npm run bench:alerts — the alert rule engine (core/src/alerts), evaluation only: 1,000 active rules over 20
// contracts, time per closed bar (one RuleEngine.onBar call: every rule on that contract and timeframe, the
// shared indicators, gates and alert records), target p99 ≤ 5 ms. Two layouts: 50 rules named per contract,
// and all 1,000 rules on a 20-contract watchlist (each bar runs all 1,000). Synthetic tick-quantised bars.
// Then delivery (bench/alert-delivery.ts; BENCH_ALERTS_DELIVERY=0 skips it): committed signal → webhook
// request latency at 100 alerts/s, and the drain rate of 10,000 deliveries queued during an outage.
import { parseRuleFile, RuleEngine, type AlertRule } from '../core/src/index.ts';
import { syntheticBars } from '../tests/support/synthetic-bars.ts';
import { figure, percentile, printLoad, printMachine } from './lib/report.ts';
import { runDeliveryBench } from './alert-delivery.ts';

const RULES = 1_000;
const CONTRACTS = Array.from({ length: 20 }, (_, i) => `SIM.C${String(i).padStart(2, '0')}`);
const WARMUP_BARS = 300; // every indicator below is ready after 300 bars (ema_200, macd_12_26_9)
const MEASURED_BARS = Number(process.env.BENCH_BARS ?? 1_500);
const START = Date.parse('2025-03-03T00:00:00Z');

/** Rule i: one of six shapes with parameters drawn from small sets, so series share indicators as real rule sets do. */
function rule(i: number, contracts: string[] | 'watchlist'): Record<string, unknown> {
  const base = { name: `r${i}`, contracts, timeframes: ['1m'], cooldown: `${1 + (i % 5)} bars` };
  const ema = [20, 50, 100, 200][i % 4];
  const rsi = [7, 14, 21][i % 3];
  switch (i % 6) {
    case 0:
      return { ...base, rule_type: 'price_cross', level: `ema_${ema}` };
    case 1:
      return {
        ...base,
        rule_type: 'indicator',
        condition: { compare: { left: `rsi_${rsi}`, op: '<', right: 20 + (i % 20) } },
        direction: 'long',
      };
    case 2:
      return { ...base, rule_type: 'indicator', condition: { sign_change: { of: 'macd_12_26_9.histogram' } } };
    case 3:
      return { ...base, rule_type: 'indicator', fire: 'every_bar', condition: { band_break: { bands: 'bb_20_2' } }, dedupe_window: '5m' };
    case 4:
      return { ...base, rule_type: 'volume_spike', multiple: 1.5 + (i % 4) * 0.5, period: [10, 20, 50][i % 3] };
    default:
      return {
        ...base,
        rule_type: 'indicator',
        condition: {
          all: [{ compare: { left: 'close', op: '>', right: `ema_${ema}` } }, { compare: { left: `rsi_${rsi}`, op: '>', right: 60 } }],
        },
        window: { timezone: 'America/Chicago', ranges: ['08:30-15:00'], weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] },
      };
  }
}

function run(label: string, rules: AlertRule[], watchlist: string[]): void {
  const bars = CONTRACTS.map((_, k) =>
    syntheticBars(WARMUP_BARS + MEASURED_BARS, { start: START, stepMs: 60_000, seed: 100 + k, price: 1000 + 500 * k }),
  );
  // A restart's rebuild (docs/ALERTS.md): the whole history fed again, alerts discarded.
  const replay = new RuleEngine(rules, { watchlist });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < WARMUP_BARS + MEASURED_BARS; i++)
    CONTRACTS.forEach((c, k) => replay.replay({ kind: 'bar', contractId: c, timeframe: '1m', bar: bars[k]![i]! }));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const replayed = CONTRACTS.length * (WARMUP_BARS + MEASURED_BARS);
  figure(`${label}: rebuild`, replayed / seconds, 'bars/s', `${replayed.toLocaleString('en-US')} bars, first pass, JIT warming up`);
  figure(`${label}: rebuild per CPU second`, replayed / ((cpu.user + cpu.system) / 1e6), 'bars/s', 'process user+system');

  const engine = new RuleEngine(rules, { watchlist });
  for (let i = 0; i < WARMUP_BARS; i++) CONTRACTS.forEach((c, k) => engine.onBar(c, '1m', bars[k]![i]!));
  const ms: number[] = [];
  const cpuMs: number[] = [];
  let alerts = 0;
  for (let i = WARMUP_BARS; i < WARMUP_BARS + MEASURED_BARS; i++) {
    CONTRACTS.forEach((c, k) => {
      const cpu = process.cpuUsage();
      const t = performance.now();
      alerts += engine.onBar(c, '1m', bars[k]![i]!).length;
      ms.push(performance.now() - t);
      const used = process.cpuUsage(cpu);
      cpuMs.push((used.user + used.system) / 1000);
    });
  }
  ms.sort((a, b) => a - b);
  cpuMs.sort((a, b) => a - b);
  const n = ms.length;
  figure(`${label}: p50`, percentile(ms, 50), 'ms');
  figure(`${label}: p99`, percentile(ms, 99), 'ms', 'target ≤ 5 ms');
  // On a loaded machine the wall-clock tail is mostly time spent descheduled; CPU time shows the work itself.
  figure(`${label}: p99 CPU time`, percentile(cpuMs, 99), 'ms', 'process user+system, µs resolution');
  figure(`${label}: max`, percentile(ms, 100), 'ms', `${n.toLocaleString('en-US')} closed bars, ${(alerts / n).toFixed(2)} alerts per bar`);
}

printMachine('Alert rule engine: 1,000 active rules over 20 contracts, per closed bar (1m), in memory');
printLoad('before');

const perContract = parseRuleFile(
  Array.from({ length: RULES }, (_, i) => rule(i, [CONTRACTS[i % CONTRACTS.length]!])),
  'bench',
);
run('50 rules per contract (1,000 in all)', perContract, []);
const everywhere = parseRuleFile(
  Array.from({ length: RULES }, (_, i) => rule(i, 'watchlist')),
  'bench',
);
run('all 1,000 rules on every contract (watchlist)', everywhere, CONTRACTS);
printLoad('after');

if (process.env.BENCH_ALERTS_DELIVERY !== '0') {
  printMachine('Alert delivery: the alerter (pg-boss queue, webhook sender) on a migrated PostgreSQL, a local webhook receiver');
  printLoad('before');
  await runDeliveryBench();
  printLoad('after');
}
