// One lane of a WebSocket fuzz run: sends its frames in pipelined batches over as many connections
// as it takes (the server closes some, the frames close others), checking every answer and close.
import WebSocket from 'ws';
import { WS_CLOSE } from '../../core/src/schemas/ws-protocol.ts';
import { describeFrame, type FuzzFrame } from './ws-fuzz-frames.ts';
import { ConnectionModel, type Expectation, expectationOf, type ServerLimits } from './ws-fuzz-oracle.ts';

export interface LaneOptions {
  readonly name: string;
  readonly url: string;
  /** The lane's frames with their index in the whole run (for failure reports). */
  readonly frames: ReadonlyArray<{ readonly index: number; readonly frame: FuzzFrame }>;
  readonly limits: ServerLimits;
  /** Frames sent before waiting for their answers. */
  readonly batchSize: number;
  /** Relayed NOTIFY payloads: a client that never subscribed receives them between its answers. */
  readonly relayed: ReadonlySet<string>;
  /** A frame unanswered this long on an open connection is a failure (the server hung or lost it). */
  readonly answerTimeoutMs: number;
}

export interface LaneReport {
  connections: number;
  /** Frames written, resends included (frames the server never read are sent again on the next connection). */
  sent: number;
  sentBytes: number;
  answered: number;
  relays: number;
  /** Answers by message type or error code, closes by code. */
  readonly answers: Map<string, number>;
  readonly closes: Map<number, number>;
  violationCount: number;
  /** The first few, with the frame that caused each. */
  readonly violations: string[];
}

interface Pending {
  readonly at: number;
  readonly expectation: Exclude<Expectation, { kind: 'none' }>;
}

const KEPT_VIOLATIONS = 20;
const count = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

export async function runLane(o: LaneOptions): Promise<LaneReport> {
  const report: LaneReport = {
    connections: 0,
    sent: 0,
    sentBytes: 0,
    answered: 0,
    relays: 0,
    answers: new Map(),
    closes: new Map(),
    violationCount: 0,
    violations: [],
  };
  const violation = (at: number | undefined, what: string) => {
    report.violationCount++;
    const frame = at === undefined ? undefined : o.frames[at];
    if (report.violations.length < KEPT_VIOLATIONS) {
      report.violations.push(`${o.name}${frame ? ` frame #${frame.index} (${describeFrame(frame.frame)})` : ''}: ${what}`);
    }
  };

  let pos = 0;
  while (pos < o.frames.length) {
    const socket = new WebSocket(o.url);
    const opened = await new Promise<Error | undefined>((resolve) => {
      socket.once('open', () => resolve(undefined));
      socket.once('error', resolve);
    });
    if (opened) {
      violation(pos, `could not connect: ${opened.message}`);
      break;
    }
    report.connections++;
    pos = await drive(socket, pos, o, report, violation);
  }
  return report;
}

/** Sends batches on one connection until it closes or the lane has no frames left; returns where
 * the next connection resumes. */
async function drive(
  socket: WebSocket,
  start: number,
  o: LaneOptions,
  report: LaneReport,
  violation: (at: number | undefined, what: string) => void,
): Promise<number> {
  const model = new ConnectionModel(o.limits);
  const pending: Pending[] = [];
  let closed: { code: number } | undefined;
  let lastAnswered: number | undefined;
  let terminated = false;
  let wake: () => void = () => undefined;

  socket.on('message', (data: Buffer, isBinary: boolean) => {
    const raw = data.toString('utf8');
    if (isBinary) violation(pending[0]?.at, 'the server sent a binary frame');
    if (o.relayed.has(raw)) {
      report.relays++;
      return;
    }
    const head = pending.shift();
    if (!head) violation(undefined, `an answer to no frame: ${raw.slice(0, 200)}`);
    else if (head.expectation.kind === 'close')
      violation(head.at, `answered (${raw.slice(0, 100)}), but ws should have closed with ${head.expectation.code}`);
    else {
      report.answered++;
      lastAnswered = head.at;
      const { wrong, label } = model.check(head.expectation, raw);
      count(report.answers, label);
      if (wrong) violation(head.at, wrong);
    }
    if (pending.length === 0) wake();
  });
  socket.on('error', (err) => {
    if (!terminated) violation(pending[0]?.at, `client socket error: ${err.message}`);
  });
  socket.on('close', (code: number) => {
    closed = { code };
    count(report.closes, code);
    wake();
  });
  const settle = (done: () => boolean, timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      if (done()) return resolve(true);
      const timer = setTimeout(() => resolve(false), timeoutMs);
      wake = () => {
        if (done()) {
          clearTimeout(timer);
          resolve(true);
        }
      };
    });
  const closeFromClient = async (how: 'close' | 'terminate') => {
    if (how === 'terminate') {
      terminated = true;
      socket.terminate();
    } else {
      socket.close(1000);
    }
    if (!(await settle(() => closed !== undefined, o.answerTimeoutMs)))
      violation(undefined, `no close within ${o.answerTimeoutMs} ms after the client's ${how}`);
    else if (how === 'close' && closed?.code !== 1000)
      violation(undefined, `the client closed normally, the close came back as ${closed?.code}`);
  };

  let pos = start;
  while (pos < o.frames.length) {
    let end = Math.min(pos + o.batchSize, o.frames.length);
    // A frame that closes the connection goes alone, so a cut-off abandons only its own answer.
    const cut = o.frames.slice(pos, end).findIndex((f) => f.frame.then !== undefined);
    if (cut >= 0) end = pos + Math.max(cut, 1);
    for (let at = pos; at < end; at++) {
      const { frame } = o.frames[at]!;
      send(socket, frame);
      report.sent++;
      report.sentBytes += frame.bytes.length;
      const expectation = expectationOf(frame, o.limits);
      if (expectation.kind !== 'none') pending.push({ at, expectation });
    }
    const last = o.frames[end - 1]!.frame.then;
    if (last === 'terminate') {
      // Answers in flight are abandoned: the server must cope with writing to a dead socket.
      pending.length = 0;
      await closeFromClient('terminate');
      return end;
    }
    // All answered (and, past maxErrors, the server's close), or the connection closed.
    const settled = await settle(() => closed !== undefined || (pending.length === 0 && !model.mustClose), o.answerTimeoutMs);
    if (!settled) {
      violation(
        pending[0]?.at,
        model.mustClose ? 'no 1008 close after maxErrors refused frames' : `no answer within ${o.answerTimeoutMs} ms`,
      );
      await closeFromClient('terminate');
      return end;
    }
    if (closed) return resumeAfterClose(closed.code, pending, model, lastAnswered, end, violation);
    pos = end;
    if (last === 'close') {
      await closeFromClient('close');
      return pos;
    }
  }
  await closeFromClient('close');
  return pos;
}

/** Checks a close the server chose and returns the first frame it never read (sent again on the
 * next connection), past the frame that ws refused if that caused the close. */
function resumeAfterClose(
  code: number,
  pending: readonly Pending[],
  model: ConnectionModel,
  lastAnswered: number | undefined,
  end: number,
  violation: (at: number | undefined, what: string) => void,
): number {
  const head = pending[0];
  if (code === WS_CLOSE.policyViolation) {
    if (!model.mustClose) violation(lastAnswered, 'closed with 1008 after this frame, before maxErrors refused frames');
    return head?.at ?? end;
  }
  if (model.mustClose) violation(lastAnswered, `closed with ${code}, expected 1008 after maxErrors refused frames`);
  if (head?.expectation.kind === 'close' && head.expectation.code === code) return head.at + 1;
  violation(
    head?.at,
    `unexpected close ${code}${head ? ` while waiting for ${head.expectation.kind} ${'code' in head.expectation ? head.expectation.code : ''}` : ''}`,
  );
  return head ? head.at + 1 : end;
}

function send(socket: WebSocket, frame: FuzzFrame): void {
  if (frame.control === 'ping') return socket.ping(frame.bytes);
  if (frame.control === 'pong') return socket.pong(frame.bytes);
  const size = Math.ceil(frame.bytes.length / frame.fragments);
  for (let i = 0; i < frame.fragments; i++) {
    socket.send(frame.bytes.subarray(i * size, (i + 1) * size), { binary: frame.binary, fin: i === frame.fragments - 1 });
  }
}
