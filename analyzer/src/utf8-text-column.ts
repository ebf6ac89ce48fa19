// Texts kept as UTF-8 bytes in one growing buffer (each entry's end in a number array), not as strings.
// A backfill's signal details wait for the write that takes them, long enough to outlive V8's young
// generation: as 255,000 strings of ~130 characters they were promoted (~0.85 MB at each scavenge) and
// marked again at every major collection; bytes in a Buffer are neither. The COPY copies them as they are.

/** Bytes an entry may take per UTF-16 code unit (the most UTF-8 needs). */
const MAX_UTF8_PER_UNIT = 3;

export class Utf8TextColumn {
  private buf: Buffer;
  /** End offset of each finished entry (its start is the previous one's end). */
  private readonly ends: number[] = [];
  private at = 0;

  /** @param initialBytes under half of Buffer.poolSize: a slice of Node's shared pool, no ArrayBuffer of its own. */
  constructor(initialBytes = 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  get length(): number {
    return this.ends.length;
  }

  /** The bytes of every entry (valid until the next append). */
  get bytes(): Buffer {
    return this.buf;
  }

  start(i: number): number {
    return i === 0 ? 0 : (this.ends[i - 1] as number);
  }

  end(i: number): number {
    return this.ends[i] as number;
  }

  text(i: number): string {
    return this.buf.toString('utf8', this.start(i), this.end(i));
  }

  texts(): string[] {
    return Array.from({ length: this.length }, (_, i) => this.text(i));
  }

  /** Drops every entry, keeping the buffer. */
  clear(): void {
    this.ends.length = 0;
    this.at = 0;
  }

  /** Appends `s` to the entry being written (a native UTF-8 write: fast for any text, and no loop of
   * ours that runs unoptimised until V8 tiers it up). */
  write(s: string): void {
    this.room(s.length * MAX_UTF8_PER_UNIT);
    this.at += this.buf.write(s, this.at, 'utf8');
  }

  /** Appends bytes already UTF-8 to the entry being written. */
  writeBytes(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buf.set(bytes, this.at);
    this.at += bytes.length;
  }

  /** Takes the last `n` bytes written back off the entry being written. */
  unwrite(n: number): void {
    this.at -= n;
  }

  /** Makes room for `n` more bytes of the entry being written and returns where they go in `bytes`; the
   * caller writes them and moves the end with `advanceTo`. */
  reserve(n: number): number {
    this.room(n);
    return this.at;
  }

  advanceTo(at: number): void {
    this.at = at;
  }

  /** Ends the entry being written. */
  finishEntry(): void {
    this.ends.push(this.at);
  }

  /** Appends entry `i` of `other` as an entry of this column. */
  appendEntry(other: Utf8TextColumn, i: number): void {
    const start = other.start(i);
    const end = other.end(i);
    this.room(end - start);
    other.buf.copy(this.buf, this.at, start, end);
    this.at += end - start;
    this.finishEntry();
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }
}
