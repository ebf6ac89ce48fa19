// A `COPY … TO STDOUT` read straight off a pg connection's socket: the CopyData payloads are handed on as
// byte ranges of the chunks the socket delivers, in order. pg-copy-streams' copy-to makes a Buffer of each
// message (one per row: a million for a backtest's bars), then concatenates them per chunk: ~0.4 s of a
// million-bar read. The connection is taken over as pg-copy-streams takes it (pg's 'data' listener set
// aside while the COPY runs) and handed back at CopyDone or at an error, with what follows.
import type pg from 'pg';

/** Takes the COPY's output as it arrives. */
export interface CopyOutConsumer {
  /** Bytes [start, end) of `chunk` (`view` spans all of it) are the next of the COPY's output. */
  data(chunk: Buffer, view: DataView, start: number, end: number): void;
}

/** Backend message codes the COPY meets (pg's protocol parser handles the rest). */
const COPY_OUT_RESPONSE = 0x48; // H
const COPY_DATA = 0x64; // d
const COPY_DONE = 0x63; // c
const NOTICE = 0x4e; // N
const PARAMETER_STATUS = 0x53; // S
const NOTIFICATION = 0x41; // A
/** A message's code and its length (which counts itself). */
const HEADER_BYTES = 5;

type DataListener = (chunk: Buffer) => void;

/** The connection's internals this reads (pg's Connection, as pg-copy-streams uses it). */
interface PgConnection {
  readonly stream: NodeJS.ReadableStream & { listeners(event: 'data'): DataListener[] };
  query(text: string): void;
}

/** Runs `sql` (a COPY … TO STDOUT) on `client`, handing its output to `consumer`. A consumer that throws
 * fails the COPY once the rest has been drained (the connection stays usable). */
export function copyOut(client: pg.ClientBase, sql: string, consumer: CopyOutConsumer): Promise<void> {
  return new Promise((resolve, reject) => {
    client.query(new CopyOutQuery(sql, consumer, resolve, reject) as unknown as pg.Submittable);
  });
}

class CopyOutQuery {
  private connection: PgConnection | undefined;
  private pgListener: DataListener | undefined;
  private readonly onData = (chunk: Buffer): void => this.read(chunk);
  /** The current message's header, when a chunk ended inside it. */
  private readonly head = Buffer.alloc(HEADER_BYTES);
  private headBytes = 0;
  private code = 0;
  /** Bytes of the current message's payload still to come. */
  private left = 0;
  private failure: Error | undefined;

  constructor(
    private readonly text: string,
    private readonly consumer: CopyOutConsumer,
    private readonly resolve: () => void,
    private readonly reject: (err: Error) => void,
  ) {}

  /** pg's Submittable: takes the connection over, then sends the query. */
  submit(connection: PgConnection): void {
    this.connection = connection;
    const listeners = connection.stream.listeners('data');
    if (listeners.length !== 1) throw new Error(`copyOut: expected pg's one data listener on the connection, found ${listeners.length}`);
    this.pgListener = listeners[0];
    connection.stream.removeListener('data', this.pgListener as DataListener);
    connection.stream.on('data', this.onData);
    connection.query(this.text);
  }

  handleError(err: Error): void {
    this.giveBack(undefined);
    this.reject(err);
  }

  handleCommandComplete(): void {}

  /** The COPY is over and the connection ready for the next query. */
  handleReadyForQuery(): void {
    if (this.failure) this.reject(this.failure);
    else this.resolve();
  }

  private read(chunk: Buffer): void {
    const end = chunk.length;
    const view = new DataView(chunk.buffer, chunk.byteOffset, end);
    let at = 0;
    while (at < end) {
      if (this.left > 0) {
        const n = Math.min(this.left, end - at);
        if (this.code === COPY_DATA && this.failure === undefined) {
          try {
            this.consumer.data(chunk, view, at, at + n);
          } catch (err) {
            this.failure = err as Error;
          }
        }
        this.left -= n;
        at += n;
        continue;
      }
      // A message's header: whole in this chunk, or gathered across chunks.
      let code: number;
      let length: number;
      if (this.headBytes === 0 && at + HEADER_BYTES <= end) {
        code = chunk[at] as number;
        length = view.getInt32(at + 1);
      } else {
        const n = Math.min(HEADER_BYTES - this.headBytes, end - at);
        chunk.copy(this.head, this.headBytes, at, at + n);
        this.headBytes += n;
        at += n;
        if (this.headBytes < HEADER_BYTES) return;
        this.headBytes = 0;
        code = this.head[0] as number;
        length = this.head.readInt32BE(1);
        at -= HEADER_BYTES; // as if the header were in this chunk: `at + HEADER_BYTES` is the payload
      }
      if (
        code !== COPY_DATA &&
        code !== COPY_OUT_RESPONSE &&
        code !== COPY_DONE &&
        code !== NOTICE &&
        code !== PARAMETER_STATUS &&
        code !== NOTIFICATION
      ) {
        // An error (or anything else): pg's parser reads it, from its header on.
        return this.giveBack(at < 0 ? Buffer.concat([this.head, chunk.subarray(at + HEADER_BYTES)]) : chunk.subarray(at));
      }
      at += HEADER_BYTES;
      this.code = code;
      this.left = length - 4;
      if (code === COPY_DONE) return this.giveBack(chunk.subarray(at + this.left));
    }
  }

  /** Hands the connection back to pg, with the bytes after the COPY's own. */
  private giveBack(rest: Buffer | undefined): void {
    const connection = this.connection;
    const listener = this.pgListener;
    if (connection === undefined || listener === undefined) return;
    this.connection = undefined;
    this.pgListener = undefined;
    connection.stream.removeListener('data', this.onData);
    connection.stream.on('data', listener);
    if (rest !== undefined && rest.length > 0) listener(rest);
  }
}
