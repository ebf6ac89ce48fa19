// bench:ingest's command line (the flags are described at the top of bench/ingest.ts) and BENCH_PROVIDER,
// checked before anything runs: a bad value fails here, naming the flag and the value.
import { parseArgs } from 'node:util';
import { WIRE_TRANSPORTS, type WireTransport } from './ingest-wire-pairs.ts';
import { wireFormatOf } from './ingest-wire/registry.ts';

export const { values: flags } = parseArgs({
  options: {
    ticks: { type: 'string', default: '1000000' },
    'warmup-ticks': { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '3' },
    contracts: { type: 'string', default: '1,10,100' },
    'baseline-ticks': { type: 'string', default: '2000' },
    'latency-seconds': { type: 'string', default: '10' },
    'latency-warmup-seconds': { type: 'string', default: '2' },
    rate: { type: 'string', default: '2000' },
    'gap-ms': { type: 'string', default: '200' },
    'cpu-prof-dir': { type: 'string' },
    'heap-prof-dir': { type: 'string' },
    'node-flags': { type: 'string', default: '' },
    'wire-pairs': { type: 'string', default: '7' },
    'wire-transports': { type: 'string', default: 'pipe,websocket' },
    'parse-in-worker': { type: 'boolean', default: false },
    'fence-pairs': { type: 'string', default: '0' },
    'latency-trace': { type: 'string' },
    'fsync-probe-seconds': { type: 'string', default: '30' },
  },
});
function positive(name: keyof typeof flags, zeroSkips = false): number {
  const n = Number(flags[name]);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !zeroSkips))
    throw new Error(`--${name}: '${flags[name]}' is not a positive number${zeroSkips ? ' or 0' : ''}`);
  return n;
}
export const TICKS = positive('ticks');
export const WARMUP_TICKS = Math.round(positive('warmup-ticks', true));
export const ROUNDS = Math.round(positive('rounds'));
export const CONTRACT_COUNTS = (flags.contracts ?? '').split(',').map((c) => {
  const n = Number(c);
  if (!Number.isInteger(n) || n <= 0 || n > 999) throw new Error(`--contracts: '${c}' is not a whole number 1–999`);
  return n;
});
export const BASELINE_TICKS = positive('baseline-ticks', true);
export const LATENCY_SECONDS = positive('latency-seconds', true);
export const LATENCY_WARMUP_SECONDS = positive('latency-warmup-seconds', true);
export const RATE = positive('rate');
export const FSYNC_PROBE_SECONDS = positive('fsync-probe-seconds', true);
export const GAP_MS = positive('gap-ms');
export const WIRE_PAIRS = Math.round(positive('wire-pairs'));
export const WIRE_TRANSPORT_LIST = (flags['wire-transports'] ?? '').split(',').map((t) => {
  if (!WIRE_TRANSPORTS.includes(t as WireTransport))
    throw new Error(`--wire-transports: '${t}' is not one of ${WIRE_TRANSPORTS.join(', ')}`);
  return t as WireTransport;
});
if (flags['parse-in-worker'] && WIRE_TRANSPORT_LIST.includes('pipe'))
  throw new Error('--parse-in-worker: the worker owns a WebSocket; use it with --wire-transports websocket');
export const BENCH_PROVIDER = process.env.BENCH_PROVIDER ?? 'simulated';
// Fails here, naming the value, before anything runs.
wireFormatOf(BENCH_PROVIDER);
