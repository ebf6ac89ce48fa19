// node --import tsx bench/fanout-client-cost.ts — what bench:fanout's load generator costs per
// delivery, by client kind (raw sockets, ws), at one message per client read: the quiet machine's
// case, which a loaded machine's bench:fanout cannot show (there, many messages share each read).
// This process is the server: a ws handshake, then one text frame per client per turn, written as
// the broadcaster writes it; the next turn waits a few ms (so each
// read holds one message, on an idle machine). The clients run in their own process (bench/fanout-clients.ts); the
// figure is that process's CPU over the deliveries. Kinds alternate over BENCH_ROUNDS (3).
// Env: BENCH_CLIENTS (1,000), BENCH_TURNS (300), BENCH_ROUNDS.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { textFrame } from '../broadcaster/src/text-frame.ts';
import { ClientWorkers } from './fanout-client-workers.ts';
import { cpuSplit, monotonicMicros, payloadMaker } from './fanout-harness.ts';
import type { ClientKind } from './fanout-load-client.ts';
import { figure, printLoad, printMachine } from './lib/report.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000);
const TURNS = Number(process.env.BENCH_TURNS ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONTRACT = 'BENCH.A';
const SUBSCRIBED = '{"type":"subscribed"}';
/** Between turns: longer than the clients take to read a turn's 1,000 messages. */
const TURN_GAP_MS = 10;

const sockets: Duplex[] = [];
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const http = createServer();
http.on('upgrade', (req, socket: Duplex, head: Buffer) =>
  wss.handleUpgrade(req, socket, head, (ws) => {
    sockets.push(socket);
    ws.on('message', () => ws.send(SUBSCRIBED)); // every message is a subscribe: acknowledge it
    ws.on('close', () => sockets.splice(sockets.indexOf(socket), 1));
  }),
);
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;

async function measure(kind: ClientKind): Promise<{ total: number; user: number }> {
  const clients = await ClientWorkers.start(url, CLIENTS, 1, CONTRACT, '1m', kind);
  try {
    const make = payloadMaker(CONTRACT);
    const pid = clients.pids[0] as number;
    await clients.measure(monotonicMicros());
    await clients.count(); // a round trip: the clients count from now on
    const cpu0 = cpuSplit(pid);
    let delivered = 0;
    for (let turn = 0; turn < TURNS; turn++) {
      const frame = textFrame(Buffer.from(make().payload));
      for (const socket of sockets) socket.write(frame);
      delivered += sockets.length;
      // A pause after each turn, so that the clients' reads hold one message each (polling them
      // for their count every turn would add its own CPU to theirs).
      await new Promise((r) => setTimeout(r, TURN_GAP_MS));
    }
    while ((await clients.count()) < delivered) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const cpu1 = cpuSplit(pid);
    const user = cpu1.user - cpu0.user;
    return { total: ((user + cpu1.system - cpu0.system) / delivered) * 1e6, user: (user / delivered) * 1e6 };
  } finally {
    await clients.stop();
  }
}

printMachine('fanout client cost');
printLoad('before');
const results = new Map<ClientKind, Array<{ total: number; user: number }>>([
  ['raw', []],
  ['ws', []],
]);
for (let round = 0; round < ROUNDS; round++)
  for (const kind of round % 2 === 0 ? (['raw', 'ws'] as const) : (['ws', 'raw'] as const)) results.get(kind)?.push(await measure(kind));
for (const [kind, runs] of results)
  figure(
    `${kind} clients, CPU a delivery`,
    runs.map((r) => `${r.total.toFixed(2)} (user ${r.user.toFixed(2)})`).join(' / '),
    'µs',
    `${CLIENTS} clients, one message a read, ${TURNS} turns`,
  );
printLoad('after');
http.close();
process.exit(0);
