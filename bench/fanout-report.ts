// bench:fanout's figures: one step's lines, the knee of a stepped load, and whether cost grows linearly.
import type { StepResult } from './fanout-measure.ts';
import { figure } from './lib/report.ts';

/** A percentile past the clients' 5 s histogram is only a bound. */
function latency(ms: number): number | string {
  return Number.isFinite(ms) ? ms : '> 5,000';
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

export function printStep(label: string, r: StepResult, target = ''): void {
  const at = `${label} ${count(r.clients)} × ${r.rate}/s`;
  figure(
    `${at}: deliveries`,
    r.deliveriesPerSecond,
    '/s',
    `offered ${count(r.offeredPerSecond)}/s, delivered ${(r.delivered * 100).toFixed(1)}%; ticks dropped ${r.dropped}; clients closed ${r.closed}`,
  );
  figure(`${at}: NOTIFY → client p50/p95/p99`, `${latency(r.p50)} / ${latency(r.p95)} / ${latency(r.p99)}`, 'ms', target);
  figure(
    `${at}: CPU, broadcaster`,
    r.serverCores * 100,
    '% of a core',
    `${r.serverMicrosPerDelivery.toFixed(2)} µs a delivery; RSS ${r.rssMb.toFixed(0)} MB; clients ${Math.round(r.clientCores * 100)}%, NOTIFY source ${Math.round(r.sourceCores * 100)}% (their own processes)`,
  );
}

/** Latency has "turned up" once p99 passes twice the first step's (and 25 ms: below that it is noise)
 * or the clients receive under 99% of what was offered. */
const TURN_UP_FACTOR = 2;
const TURN_UP_FLOOR_MS = 25;
const KEEPS_UP = 0.99;

export function kneeOf(steps: readonly StepResult[]): { deliveriesPerSecond: number; why: string } {
  const first = steps[0];
  if (!first) throw new Error('kneeOf: no steps measured');
  const limit = Math.max(TURN_UP_FLOOR_MS, first.p99 * TURN_UP_FACTOR);
  let last: StepResult | undefined;
  for (const s of steps) {
    const reason =
      s.delivered < KEEPS_UP
        ? `delivered ${(s.delivered * 100).toFixed(1)}%`
        : s.p99 > limit
          ? `p99 ${latency(s.p99)} ms > ${limit.toFixed(1)} ms`
          : undefined;
    if (reason) {
      if (!last) return { deliveriesPerSecond: 0, why: `latency already up at the first step (${reason})` };
      return { deliveriesPerSecond: last.deliveriesPerSecond, why: `last step before ${s.rate}/s, where ${reason}` };
    }
    last = s;
  }
  const top = steps[steps.length - 1] as StepResult;
  return { deliveriesPerSecond: top.deliveriesPerSecond, why: `not reached: the highest step (${top.rate}/s) kept up; the knee is above` };
}

/** Per-delivery CPU from the fewest to the most clients within this factor counts as linear. */
const LINEAR_TOLERANCE = 1.3;

export function growthLine(steps: readonly StepResult[]): string {
  const a = steps[0];
  const b = steps[steps.length - 1];
  if (!a || !b || a === b) return 'cost growth: needs two client counts';
  const ratio = b.serverMicrosPerDelivery / a.serverMicrosPerDelivery;
  const shape =
    ratio > LINEAR_TOLERANCE
      ? 'grows FASTER than linearly (each delivery costs more with more clients)'
      : ratio < 1 / LINEAR_TOLERANCE
        ? 'grows sub-linearly (per-message work is shared by more clients)'
        : 'grows linearly';
  const cells = steps.map((s) => `${count(s.clients)}: ${(s.serverCores * 100).toFixed(1)}% (${s.serverMicrosPerDelivery.toFixed(2)} µs)`);
  return `cost growth, broadcaster CPU by clients @ ${a.rate}/s: ${cells.join(', ')} — ${shape}: per-delivery ×${ratio.toFixed(2)} from ${count(a.clients)} to ${count(b.clients)} clients`;
}
