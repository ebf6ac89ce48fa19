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
    `offered ${count(r.offeredPerSecond)}/s, delivered ${(r.delivered * 100).toFixed(1)}%; ticks dropped ${r.dropped}; clients closed ${r.closed}${r.outOfOrder > 0 ? `; OUT OF ORDER ${r.outOfOrder}` : ''}`,
  );
  figure(`${at}: NOTIFY → client p50/p95/p99`, `${latency(r.p50)} / ${latency(r.p95)} / ${latency(r.p99)}`, 'ms', target);
  figure(
    `${at}: CPU, broadcaster`,
    r.serverCores * 100,
    '% of a core',
    `${r.serverMicrosPerDelivery.toFixed(2)} µs (user ${r.serverUserMicrosPerDelivery.toFixed(2)}) and ${r.serverWritesPerDelivery.toFixed(2)} write syscalls a delivery; RSS ${r.rssMb.toFixed(0)} MB; clients ${Math.round(r.clientCores * 100)}% (${r.clientMicrosPerDelivery.toFixed(2)} µs a delivery), NOTIFY source ${Math.round(r.sourceCores * 100)}% (their own processes)`,
  );
}

/** Latency has "turned up" once p99 passes twice the first step's (and 25 ms: below that it is noise)
 * or the clients receive under 99% of what was offered. */
const TURN_UP_FACTOR = 2;
const TURN_UP_FLOOR_MS = 25;
const KEEPS_UP = 0.99;

/** Why `step` is past the knee (measured against the stepped load's first step), or undefined. */
export function pastKnee(first: StepResult, step: StepResult): string | undefined {
  const limit = Math.max(TURN_UP_FLOOR_MS, first.p99 * TURN_UP_FACTOR);
  if (step.delivered < KEEPS_UP) return `delivered ${(step.delivered * 100).toFixed(1)}%`;
  if (step.p99 > limit) return `p99 ${latency(step.p99)} ms > ${limit.toFixed(1)} ms`;
  return undefined;
}

/** Per-delivery CPU from the fewest to the most clients within this factor counts as linear. */
const LINEAR_TOLERANCE = 1.3;

export function growthLine(steps: readonly StepResult[]): string {
  const a = steps[0];
  const b = steps[steps.length - 1];
  if (!a || !b || a === b) return 'cost growth: needs two client counts';
  const cells = steps.map(
    (s) =>
      `${count(s.clients)}: ${(s.serverCores * 100).toFixed(1)}% (${s.serverMicrosPerDelivery.toFixed(2)} µs, ${s.serverWritesPerDelivery.toFixed(2)} writes a delivery)`,
  );
  const head = `cost growth, broadcaster CPU by clients @ ${a.rate}/s: ${cells.join(', ')}`;
  // A step that fell behind is another regime: its cost per delivery says how busy the machine was
  // (many messages a write), not how cost grows with clients.
  const behind = steps.filter((s) => s.delivered < KEEPS_UP);
  if (behind.length > 0)
    return `${head} — not comparable: ${behind.map((s) => `${count(s.clients)} clients got ${(s.delivered * 100).toFixed(1)}%`).join(', ')} of what was offered (the broadcaster fell behind); measure on a quieter machine`;
  const ratio = b.serverMicrosPerDelivery / a.serverMicrosPerDelivery;
  const shape =
    ratio > LINEAR_TOLERANCE
      ? 'grows FASTER than linearly (each delivery costs more with more clients)'
      : ratio < 1 / LINEAR_TOLERANCE
        ? 'grows sub-linearly (per-message work is shared by more clients)'
        : 'grows linearly';
  return `${head} — ${shape}: per-delivery ×${ratio.toFixed(2)} from ${count(a.clients)} to ${count(b.clients)} clients`;
}
