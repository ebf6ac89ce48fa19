// npm run bench:fanout-writes — the broadcaster's write path alone, at a fixed number of messages per
// client write: CPU per delivery (user and system: on loopback the system call also carries the
// receiving side's TCP work) of the broadcaster's path (HeldFrames + WriteBatch: frames held in an
// array, one write of one buffer per client, the join shared by clients given the same frames)
// against the path before it (cork each client, one write per message, uncork → Node's writev). bench:fanout cannot show
// this on a loaded machine: there, how many messages share a write follows the CPU the broadcaster
// gets. The readers are in a child process (they read and discard); modes alternate within each round.
// Env: BENCH_CLIENTS (1,000), BENCH_ROUNDS (3), BENCH_PER_WRITE (messages per client write: 1,2,4,8),
// BENCH_DELIVERIES (per measurement, 300,000).
import { fork } from 'node:child_process';
import { createServer, type Socket, connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { HeldFrames } from '../broadcaster/src/held-frames.ts';
import { textFrame } from '../broadcaster/src/text-frame.ts';
import { WriteBatch } from '../broadcaster/src/write-batch.ts';
import { payloadMaker } from './fanout-harness.ts';
import { median } from './lib/median.ts';
import { figure, printLoad, printMachine } from './lib/report.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PER_WRITE = (process.env.BENCH_PER_WRITE ?? '1,2,4,8').split(',').map(Number);
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 300_000);

type Mode = 'cork, write per message, uncork (before)' | 'held frames, one write per client (HeldFrames)';
const MODES: Mode[] = ['cork, write per message, uncork (before)', 'held frames, one write per client (HeldFrames)'];

/** The broadcaster's held frames, as ClientConnection uses them: one HeldFrames per socket. */
interface Held {
  readonly batch: WriteBatch;
  readonly clients: HeldFrames[];
}

/** One turn: `frames` to every client, then the flush after the turn (setImmediate), as the broadcaster does. */
function turn(mode: Mode, sockets: Socket[], held: Held, frames: Buffer[]): Promise<void> {
  if (mode === MODES[0]) {
    // The path before the held frames: cork each client on its first write of the turn, write each
    // message into the corked stream, uncork all after the turn (Node's writev over the chunks).
    for (const socket of sockets) {
      socket.cork();
      for (const frame of frames) socket.write(frame);
    }
    return new Promise((resolve) =>
      setImmediate(() => {
        for (const socket of sockets) socket.uncork();
        resolve();
      }),
    );
  }
  for (const client of held.clients) for (const frame of frames) client.push(frame);
  return new Promise((resolve) => setImmediate(resolve)); // the batch's flush was scheduled first
}

/** Waits until every socket's buffer is empty: each turn then writes to idle sockets, as at 200 msg/s. */
async function drained(sockets: Socket[]): Promise<void> {
  for (const socket of sockets) if (socket.writableLength > 0) await new Promise<void>((resolve) => socket.once('drain', () => resolve()));
}

async function measure(mode: Mode, perWrite: number, sockets: Socket[], held: Held): Promise<number> {
  const make = payloadMaker('BENCH.A');
  const turns = Math.ceil(DELIVERIES / (perWrite * sockets.length));
  const framesOfTurn = Array.from({ length: turns }, () => Array.from({ length: perWrite }, () => textFrame(Buffer.from(make().payload))));
  const cpu0 = process.cpuUsage();
  for (const frames of framesOfTurn) {
    await turn(mode, sockets, held, frames);
    await drained(sockets);
  }
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / (turns * perWrite * sockets.length);
}

async function main(): Promise<void> {
  printMachine('bench:fanout-writes');
  printLoad('before');
  const sockets: Socket[] = [];
  const all = new Promise<void>((resolve) => {
    const server = createServer((socket) => {
      socket.setNoDelay(true); // as the broadcaster's HTTP server does
      sockets.push(socket);
      if (sockets.length === CLIENTS) {
        server.close();
        resolve();
      }
    }).listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      readers = fork(fileURLToPath(import.meta.url), ['readers', String(port)], { execArgv: ['--import', 'tsx'] });
    });
  });
  let readers: ReturnType<typeof fork> | undefined;
  await all;
  const batch = new WriteBatch();
  // The held mode's sockets are patched (ws's writes go after held frames); the corked mode's writes
  // are plain writes on the same sockets, which the patch passes through when nothing is held.
  const held: Held = { batch, clients: sockets.map((socket) => new HeldFrames(socket, batch)) };
  console.log(
    `setup: ${CLIENTS} loopback TCP clients read by a child process; ${DELIVERIES.toLocaleString('en-US')} deliveries a measurement, realistic frames (${ROUNDS} rounds, modes alternating)`,
  );
  const results = new Map<string, number[]>();
  await measure(MODES[1] as Mode, 1, sockets, held); // warm up both paths
  await measure(MODES[0] as Mode, 1, sockets, held);
  for (let round = 0; round < ROUNDS; round++)
    for (const perWrite of PER_WRITE)
      for (const mode of round % 2 === 0 ? MODES : [...MODES].reverse()) {
        const key = `${perWrite}|${mode}`;
        results.set(key, [...(results.get(key) ?? []), await measure(mode, perWrite, sockets, held)]);
      }
  for (const perWrite of PER_WRITE)
    for (const mode of MODES) {
      const runs = results.get(`${perWrite}|${mode}`) ?? [];
      figure(`${perWrite} per write, ${mode}`, runs.map((r) => r.toFixed(2)).join(' / '), 'µs CPU a delivery', `${ROUNDS} rounds`);
    }
  // c(k) = W / k + M per delivery at k messages a write: W, the write, from the fewest and most per write.
  const [few, most] = [Math.min(...PER_WRITE), Math.max(...PER_WRITE)];
  if (few !== most) {
    const c = (k: number): number => median(results.get(`${k}|${MODES[0]}`) ?? []);
    const write = (c(few) - c(most)) / (1 / few - 1 / most);
    figure(
      'cost model (corked path, medians)',
      `${write.toFixed(2)} + ${(c(most) - write / most).toFixed(2)}`,
      'µs',
      'a write + a message in it',
    );
  }
  printLoad('after');
  readers?.send('exit');
  for (const socket of sockets) socket.destroy();
}

if (process.argv[2] === 'readers') {
  // Child: CLIENTS connections that read and discard, so reading costs the parent nothing.
  const port = Number(process.argv[3]);
  const sockets: Socket[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    sockets.push(socket);
  }
  process.on('message', () => process.exit(0));
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
}
