// Child process of bench:fanout: N WebSocket clients subscribed to one contract, each measuring
// NOTIFY → arrival latency from the payload's `sent_at` (CLOCK_MONOTONIC µs, shared by processes
// on one machine). FANOUT_CLIENT_KIND raw (default: fanout-raw-client.ts, a fraction of the CPU) or
// ws. Talks to the parent over IPC: ready → {measure} → {report} → results.
import { type ClientKind, CLIENT_KINDS, type LoadClient, openSubscribed } from './fanout-load-client.ts';
import { FanoutTally } from './fanout-tally.ts';

const URL_ = process.env.FANOUT_URL as string;
const CLIENTS = Number(process.env.FANOUT_CLIENTS);
const CONTRACT = process.env.FANOUT_CONTRACT as string;
const TIMEFRAME = process.env.FANOUT_TIMEFRAME as string;
const KIND = (process.env.FANOUT_CLIENT_KIND ?? 'raw') as ClientKind;
if (!CLIENT_KINDS.includes(KIND)) throw new Error(`FANOUT_CLIENT_KIND: "${KIND}" is not one of ${CLIENT_KINDS.join(', ')}`);
/** Handshakes in flight at once: a thousand at a time would just queue in the kernel anyway. */
const OPENING_AT_ONCE = 50;

const tally = new FanoutTally(CLIENTS);
const clients: LoadClient[] = [];
let closed = 0;
const subscriptions = [
  { type: 'subscribe', channel: 'bars', contract_id: CONTRACT, timeframe: TIMEFRAME },
  { type: 'subscribe', channel: 'ticks', contract_id: CONTRACT },
];

async function open(index: number): Promise<LoadClient> {
  const client = await openSubscribed(KIND, URL_, subscriptions, (data, start, end) => tally.record(index, data, start, end));
  client.whenClosed(() => {
    closed++;
  });
  return client;
}

for (let i = 0; i < CLIENTS; i += OPENING_AT_ONCE) {
  clients.push(...(await Promise.all(Array.from({ length: Math.min(OPENING_AT_ONCE, CLIENTS - i) }, (_, k) => open(i + k)))));
}
process.send?.({ type: 'ready', clients: clients.length });

process.on('message', (m: { type: string; from?: number }) => {
  if (m.type === 'measure') {
    tally.measure(m.from ?? 0);
  } else if (m.type === 'count') {
    process.send?.({ type: 'count', received: tally.received });
  } else if (m.type === 'report') {
    process.send?.({ type: 'report', closed, ...tally.report() });
  } else if (m.type === 'exit') {
    for (const c of clients) c.terminate();
    process.exit(0);
  }
});
