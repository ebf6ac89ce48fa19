// npm run bench:fanout-writes — the broadcaster's write path alone, at a fixed number of messages per
// client write: CPU per delivery (user and system: on loopback the system call also carries the
// receiving side's TCP work) of the broadcaster's path (WriteBatch: cork each client, one write per
// message, uncork → Node's writev) against a candidate (frames held in an array, one write of one
// buffer per client, the join shared by clients given the same frames). bench:fanout cannot show
// this on a loaded machine: there, how many messages share a write follows the CPU the broadcaster
// gets. The readers are in a child process (they read and discard); modes alternate within each round.
// Env: BENCH_CLIENTS (1,000), BENCH_ROUNDS (3), BENCH_PER_WRITE (messages per client write: 1,2,4,8),
// BENCH_DELIVERIES (per measurement, 300,000).
import { fork } from 'node:child_process';
import { createServer, type Socket, connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { textFrame } from '../broadcaster/src/text-frame.ts';
import { WriteBatch } from '../broadcaster/src/write-batch.ts';
import { payloadMaker } from './fanout-harness.ts';
import { figure, printLoad, printMachine } from './lib/report.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PER_WRITE = (process.env.BENCH_PER_WRITE ?? '1,2,4,8').split(',').map(Number);
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 300_000);

type Mode = 'cork, write per message, uncork (WriteBatch)' | 'held frames, one write per client';
const MODES: Mode[] = ['cork, write per message, uncork (WriteBatch)', 'held frames, one write per client'];

/** The candidate: each client's frames of the turn in an array, written as one buffer after the turn. */
class HeldFrames {
  private readonly held: Array<{ readonly out: Socket; readonly frames: Buffer[] }>;
  private lastFrames: Buffer[] = [];
  private lastJoined: Buffer | undefined;

  constructor(sockets: Socket[]) {
    this.held = sockets.map((out) => ({ out, frames: [] }));
  }

  give(frames: Buffer[]): void {
    for (const h of this.held) for (const frame of frames) h.frames.push(frame);
  }

  flush(): void {
    for (const { out, frames } of this.held) {
      out.write(frames.length === 1 ? (frames[0] as Buffer) : this.join(frames));
      frames.length = 0;
    }
    this.lastFrames = [];
    this.lastJoined = undefined;
  }

  private join(frames: Buffer[]): Buffer {
    const last = this.lastFrames;
    if (this.lastJoined && last.length === frames.length && frames.every((f, i) => f === last[i])) return this.lastJoined;
    this.lastFrames = [...frames];
    this.lastJoined = Buffer.concat(frames);
    return this.lastJoined;
  }
}

/** One turn: `frames` to every client, then the flush after the turn (setImmediate), as the broadcaster does. */
function turn(mode: Mode, sockets: Socket[], held: HeldFrames, batch: WriteBatch, frames: Buffer[]): Promise<void> {
  if (mode === MODES[0]) {
    for (const socket of sockets) {
      batch.hold(socket);
      for (const frame of frames) socket.write(frame);
    }
    return new Promise((resolve) => setImmediate(resolve)); // the batch's flush was scheduled first
  }
  held.give(frames);
  return new Promise((resolve) =>
    setImmediate(() => {
      held.flush();
      resolve();
    }),
  );
}

/** Waits until every socket's buffer is empty: each turn then writes to idle sockets, as at 200 msg/s. */
async function drained(sockets: Socket[]): Promise<void> {
  for (const socket of sockets) if (socket.writableLength > 0) await new Promise<void>((resolve) => socket.once('drain', () => resolve()));
}

async function measure(mode: Mode, perWrite: number, sockets: Socket[], held: HeldFrames, batch: WriteBatch): Promise<number> {
  const make = payloadMaker('BENCH.A');
  const turns = Math.ceil(DELIVERIES / (perWrite * sockets.length));
  const framesOfTurn = Array.from({ length: turns }, () => Array.from({ length: perWrite }, () => textFrame(Buffer.from(make().payload))));
  const cpu0 = process.cpuUsage();
  for (const frames of framesOfTurn) {
    await turn(mode, sockets, held, batch, frames);
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
  const held = new HeldFrames(sockets);
  const batch = new WriteBatch();
  console.log(
    `setup: ${CLIENTS} loopback TCP clients read by a child process; ${DELIVERIES.toLocaleString('en-US')} deliveries a measurement, realistic frames (${ROUNDS} rounds, modes alternating)`,
  );
  const results = new Map<string, number[]>();
  await measure(MODES[1] as Mode, 1, sockets, held, batch); // warm up both paths
  await measure(MODES[0] as Mode, 1, sockets, held, batch);
  for (let round = 0; round < ROUNDS; round++)
    for (const perWrite of PER_WRITE)
      for (const mode of round % 2 === 0 ? MODES : [...MODES].reverse()) {
        const key = `${perWrite}|${mode}`;
        results.set(key, [...(results.get(key) ?? []), await measure(mode, perWrite, sockets, held, batch)]);
      }
  for (const perWrite of PER_WRITE)
    for (const mode of MODES) {
      const runs = results.get(`${perWrite}|${mode}`) ?? [];
      figure(`${perWrite} per write, ${mode}`, runs.map((r) => r.toFixed(2)).join(' / '), 'µs CPU a delivery', `${ROUNDS} rounds`);
    }
  // c(k) = W / k + M per delivery at k messages a write: W, the write, from the fewest and most per write.
  const median = (runs: number[]): number => [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)] ?? NaN;
  const [few, most] = [Math.min(...PER_WRITE), Math.max(...PER_WRITE)];
  if (few !== most) {
    const c = (k: number): number => median(results.get(`${k}|${MODES[0]}`) ?? []);
    const write = (c(few) - c(most)) / (1 / few - 1 / most);
    figure(
      'cost model (WriteBatch path, medians)',
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
