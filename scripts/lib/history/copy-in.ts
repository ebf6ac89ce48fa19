// One `COPY … FROM STDIN` fed a chunk at a time as the rows are produced, so parsing the next rows
// overlaps the server storing the last ones.
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export class CopyIn {
  private readonly stream: ReturnType<typeof copyFrom>;
  private failure: Error | undefined;
  private readonly failed: Promise<never>;
  private readonly finished: Promise<void>;

  constructor(client: pg.ClientBase, sql: string) {
    this.stream = client.query(copyFrom(sql));
    this.failed = new Promise<never>((_, reject) => {
      this.stream.on('error', (err: Error) => {
        this.failure ??= err;
        reject(err);
      });
    });
    this.failed.catch(() => undefined); // seen by the next write() or end()
    this.finished = new Promise((resolve) => this.stream.once('finish', resolve));
  }

  /**
   * Sends `chunks`, one at a time: each is handed over only once the socket took the one before, so
   * pg-copy-streams never queues chunks of its own (a queued chunk left when the COPY fails would be
   * flushed into a connection it has already let go of). Throws the COPY's error once it has failed.
   */
  async write(chunks: readonly Buffer[]): Promise<void> {
    for (const chunk of chunks) {
      if (this.failure) throw this.failure;
      await Promise.race([new Promise<void>((resolve) => this.stream.write(chunk, () => resolve())), this.failed]);
    }
    if (this.failure) throw this.failure;
  }

  /** Ends the COPY and waits until the server has stored every row; throws its error if it failed. */
  async end(): Promise<void> {
    if (this.failure) throw this.failure;
    this.stream.end();
    await Promise.race([this.finished, this.failed]);
  }
}
