// The chaos run's report: what it counted and compared, and how it is printed.
import type { AlertComparison } from './compare-alerts.ts';
import type { Comparison } from './compare-state.ts';
import type { TraderChaosReport } from './trader-chaos.ts';

export interface ChaosReport extends Comparison {
  readonly faults: Record<string, number>;
  readonly recoveryMs: Record<string, number[]>;
  readonly crashes: number;
  readonly rejectedInputs: number;
  /** Malformed provider messages the fake exchange sent (to whichever connection was open). */
  readonly malformedSent: number;
  readonly tradesSent: number;
  /** Rows of the SMC study's batch answer compared with smc_events / zones. */
  readonly smcRowsCompared: number;
  readonly alerts: AlertComparison;
}

export function printReport(r: ChaosReport): void {
  const rows: Array<[string, string]> = [];
  for (const [kind, count] of Object.entries(r.faults)) {
    const rec = [...(r.recoveryMs[kind] ?? [])].sort((a, b) => a - b);
    rows.push([
      kind,
      `${count}${rec.length ? `   recovery p50 ${rec[Math.floor(rec.length / 2)]} ms, max ${rec[rec.length - 1]} ms` : ''}`,
    ]);
  }
  rows.push(
    ['trades sent by the exchange', String(r.tradesSent)],
    ['closed bars compared', String(r.barsCompared)],
    ['signals compared', String(r.signalsCompared)],
    ["signals triggered after the stream's end (not compared)", String(r.signalsAfterEnd)],
    ['client bar sets compared', String(r.clientsCompared)],
    ['SMC rows compared (smc_events + zones == batch)', String(r.smcRowsCompared)],
    ['differences (must be 0)', String(r.differences.length)],
    ['malformed provider messages sent', String(r.malformedSent)],
    ['bad provider inputs rejected (summed over ingester restarts)', String(r.rejectedInputs)],
    ['alerts expected (batch over stored bars and signals)', String(r.alerts.alertsExpected)],
    ['alerts stored', String(r.alerts.alertsStored)],
    ['alert deliveries delivered (receiver fails 50%)', String(r.alerts.deliveriesDelivered)],
    ['redeliveries of an accepted key (at-least-once; receiver dedupes)', String(r.alerts.redeliveries)],
    ['alerts missing (each a difference; must be 0)', String(r.alerts.missing)],
    ['signals withdrawn by the analyzer (a bar corrected after they were stored)', String(r.alerts.withdrawnSignals)],
    ['alerts sent on them before (not differences)', String(r.alerts.onWithdrawnSignals)],
    ['alerts retracted (these, and findings later found again): one retraction accepted each', String(r.alerts.retractionsDelivered)],
    ['alerts withdrawn before sending (the same): cancelled, nothing sent', String(r.alerts.cancelledBeforeSending)],
    ['alerts found again after their retraction: alerted once more', String(r.alerts.foundAgain)],
    ['1m bars corrected after a signal alert (and back)', String(r.alerts.barsCorrected)],
    ['  bar-rule alerts raised on their corrected values (not differences)', String(r.alerts.onCorrectedBars)],
    ['crashes (must be 0)', String(r.crashes)],
  );
  for (const [k, v] of rows) console.log(`${k.padEnd(62)} ${v}`);
  for (const d of r.differences.slice(0, 20)) console.log(`  diff: ${d}`);
}

export function printTraderReport(r: TraderChaosReport): void {
  const rows: Array<[string, string]> = [
    ['trader: kill -9 during a paper run', String(r.kills)],
    ['trader: bars / orders / fills compared with a backtest', `${r.bars} / ${r.orders} / ${r.fills}`],
    ['trader: differences (duplicate orders, lost fills, equity; must be 0)', String(r.differences.length)],
    ['trader: crashes (must be 0)', String(r.crashes)],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(62)} ${v}`);
  for (const d of r.differences.slice(0, 20)) console.log(`  diff: ${d}`);
}
