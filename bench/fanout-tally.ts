// What bench:fanout's clients count, whichever client reads the frames (ws or raw sockets): messages
// carrying a `sent_at` (CLOCK_MONOTONIC µs, the payload's last field), their latency in a histogram,
// their payload bytes, and per client the order they came in (a digest of the sent_at sequence).

/** Latency histogram: 50 µs buckets up to 5 s, the last bucket holds anything slower. */
export const BUCKET_US = 50;
export const BUCKETS = 100_000;

const SENT_AT = Buffer.from('"sent_at":');
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const CLOSE_BRACE = 0x7d;
/** FNV-1a's 32-bit prime: the order digest multiplies by it after each value. */
const FNV_PRIME = 16777619;
const FNV_OFFSET = 2166136261;
const TWO_32 = 2 ** 32;

/** `sent_at` of a payload ending `"sent_at":<digits>}` (bytes start..end of `data`), or -1. Reads the
 * number where it is, without decoding or parsing the JSON. */
export function sentAtOf(data: Buffer, start: number, end: number): number {
  if (end - start < SENT_AT.length + 2 || data[end - 1] !== CLOSE_BRACE) return -1;
  let i = end - 2;
  while (i > start && (data[i] as number) >= DIGIT_0 && (data[i] as number) <= DIGIT_9) i--;
  const digitsFrom = i + 1;
  if (digitsFrom === end - 1 || digitsFrom - SENT_AT.length < start) return -1;
  for (let k = 0; k < SENT_AT.length; k++) if (data[digitsFrom - SENT_AT.length + k] !== SENT_AT[k]) return -1;
  let value = 0;
  for (let j = digitsFrom; j < end - 1; j++) value = value * 10 + ((data[j] as number) - DIGIT_0);
  return value;
}

export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export interface TallyReport {
  readonly received: number;
  readonly payloadBytes: number;
  /** Messages whose sent_at was below the one before on the same client. */
  readonly outOfOrder: number;
  /** Sparse histogram: [bucket index, deliveries]. */
  readonly buckets: Array<[number, number]>;
  readonly bucketUs: number;
  readonly lastBucket: number;
}

export class FanoutTally {
  private readonly histogram = new Uint32Array(BUCKETS);
  private readonly last: Float64Array;
  private readonly digests: Uint32Array;
  private measuring = false;
  /** Only messages sent from here on count: late arrivals of the warm-up would inflate the rate. */
  private from = Infinity;
  private count = 0;
  private payloadBytes = 0;
  private outOfOrder = 0;

  constructor(clients: number) {
    this.last = new Float64Array(clients);
    this.digests = new Uint32Array(clients).fill(FNV_OFFSET);
  }

  /** Counts messages sent at or after `from` (monotonic µs) until report(). */
  measure(from: number): void {
    this.histogram.fill(0);
    this.last.fill(0);
    this.digests.fill(FNV_OFFSET);
    this.count = 0;
    this.payloadBytes = 0;
    this.outOfOrder = 0;
    this.from = from;
    this.measuring = true;
  }

  /** One text message of client `client`: its payload is bytes start..end of `data`. */
  record(client: number, data: Buffer, start: number, end: number): void {
    if (!this.measuring) return;
    const sentAt = sentAtOf(data, start, end);
    if (sentAt < this.from) return; // also -1: not a timed message (a control answer)
    const latency = monotonicMicros() - sentAt;
    this.count++;
    this.payloadBytes += end - start;
    if (sentAt < (this.last[client] as number)) this.outOfOrder++;
    this.last[client] = sentAt;
    const d = Math.imul((this.digests[client] as number) ^ (sentAt % TWO_32), FNV_PRIME);
    this.digests[client] = Math.imul(d ^ Math.floor(sentAt / TWO_32), FNV_PRIME);
    const bucket = Math.min(BUCKETS - 1, Math.max(0, Math.floor(latency / BUCKET_US)));
    this.histogram[bucket] = (this.histogram[bucket] as number) + 1;
  }

  /** Messages counted since measure(). */
  get received(): number {
    return this.count;
  }

  /** Order-sensitive digest of what client `client` received: equal digests, equal sequences. */
  digest(client: number): number {
    return this.digests[client] as number;
  }

  report(): TallyReport {
    this.measuring = false;
    // Sparse: only the non-empty buckets cross the IPC channel.
    const buckets: Array<[number, number]> = [];
    this.histogram.forEach((n, i) => {
      if (n > 0) buckets.push([i, n]);
    });
    return {
      received: this.count,
      payloadBytes: this.payloadBytes,
      outOfOrder: this.outOfOrder,
      buckets,
      bucketUs: BUCKET_US,
      lastBucket: BUCKETS - 1,
    };
  }
}
