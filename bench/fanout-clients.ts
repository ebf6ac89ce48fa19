// Child process of bench:fanout: N real `ws` clients subscribed to one contract, each measuring
// NOTIFY → arrival latency from the payload's `sent_at` (CLOCK_MONOTONIC µs, shared by processes
// on one machine). Talks to the parent over IPC: ready → {measure} → {report} → results.
import { WebSocket } from 'ws';

const URL_ = process.env.FANOUT_URL as string;
const CLIENTS = Number(process.env.FANOUT_CLIENTS);
const CONTRACT = process.env.FANOUT_CONTRACT as string;
const TIMEFRAME = process.env.FANOUT_TIMEFRAME as string;
/** Latency histogram: 50 µs buckets up to 5 s, the last bucket holds anything slower. */
const BUCKET_US = 50;
const BUCKETS = 100_000;

const histogram = new Uint32Array(BUCKETS);
let measuring = false;
/** Only messages sent from here on count: late arrivals of the warm-up would inflate the rate. */
let measureFrom = Infinity;
let received = 0;
let closed = 0;
const sockets: WebSocket[] = [];
const SENT_AT = Buffer.from('"sent_at":');

function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function onMessage(data: Buffer): void {
  if (!measuring) return;
  // `sent_at` is the payload's last field: read the number without parsing the JSON.
  const at = data.lastIndexOf(SENT_AT);
  if (at < 0) return;
  const sentAt = Number(data.toString('latin1', at + SENT_AT.length, data.length - 1));
  if (sentAt < measureFrom) return;
  received++;
  const bucket = Math.min(BUCKETS - 1, Math.max(0, Math.floor((monotonicMicros() - sentAt) / BUCKET_US)));
  histogram[bucket] = (histogram[bucket] ?? 0) + 1;
}

async function open(): Promise<WebSocket> {
  // skipUTF8Validation: the server is ours; the load generator should not measure itself.
  const socket = new WebSocket(URL_, { skipUTF8Validation: true, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let acks = 0;
  const subscribed = new Promise<void>((resolve) => {
    const onAck = (data: Buffer): void => {
      if (data.includes('"subscribed"') && ++acks === 2) {
        socket.off('message', onAck);
        resolve();
      }
    };
    socket.on('message', onAck);
  });
  socket.on('message', (data: Buffer) => onMessage(data));
  socket.on('close', () => {
    closed++;
  });
  socket.on('error', () => undefined);
  socket.send(JSON.stringify({ type: 'subscribe', channel: 'bars', contract_id: CONTRACT, timeframe: TIMEFRAME }));
  socket.send(JSON.stringify({ type: 'subscribe', channel: 'ticks', contract_id: CONTRACT }));
  await subscribed;
  return socket;
}

// A few at a time: a thousand simultaneous handshakes would just queue in the kernel anyway.
for (let i = 0; i < CLIENTS; i += 50) {
  sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, CLIENTS - i) }, open))));
}
process.send?.({ type: 'ready', clients: sockets.length });

process.on('message', (m: { type: string; from?: number }) => {
  if (m.type === 'measure') {
    histogram.fill(0);
    received = 0;
    measureFrom = m.from ?? 0;
    measuring = true;
  } else if (m.type === 'report') {
    measuring = false;
    // Sparse: only the non-empty buckets cross the IPC channel.
    const buckets: Array<[number, number]> = [];
    histogram.forEach((n, i) => {
      if (n > 0) buckets.push([i, n]);
    });
    process.send?.({ type: 'report', received, closed, buckets, bucketUs: BUCKET_US, lastBucket: BUCKETS - 1 });
  } else if (m.type === 'exit') {
    for (const s of sockets) s.terminate();
    process.exit(0);
  }
});
