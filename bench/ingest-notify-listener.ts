// bench:ingest's tick_data_channel listener, on a connection of its own: counts NOTIFYs and the ticks
// they carry and, when asked, each tick's latency from its stamp (the load generator's send time) to
// the NOTIFY's arrival here.
import pg from 'pg';
import { channels } from '../core/src/index.ts';
import { sharedEpochNow } from './lib/shared-clock.ts';

/** The part of a tick_data_channel payload read here: one contract's ticks, several contracts' as
 * objects, or several contracts' as columns (the ingester's form: times t0 + running sum of dt, µs). */
type Ticks = { ticks?: { timestamp: string }[] };
type Columns = { t0: number; dt: number[] };
type TickPayload = Ticks & { type: string; contracts?: (Ticks | Columns)[] };

/** Epoch ms of a microsecond ISO stamp (Date.parse keeps milliseconds only). */
function stampMs(iso: string): number {
  const micros = Number(/\.\d{3}(\d{3})Z$/.exec(iso)?.[1] ?? 0);
  return Date.parse(iso) + micros / 1000;
}

/** Each tick's time (epoch ms) in a payload of any form. */
function tickTimes(message: TickPayload): number[] {
  if (message.type === 'tick_columns')
    return (message.contracts as Columns[]).flatMap((c) => {
      let micros = c.t0;
      return c.dt.map((d) => (micros += d) / 1000);
    });
  const ticks = message.contracts ? (message.contracts as Ticks[]).flatMap((c) => c.ticks ?? []) : (message.ticks ?? []);
  return ticks.map((t) => stampMs(t.timestamp));
}

export class TickNotifyListener {
  notifies = 0;
  ticks = 0;
  readonly latencies: number[] = [];
  /** Each recorded tick's stamp (epoch ms), beside its latency. */
  readonly sentAt: number[] = [];

  private constructor(
    private readonly client: pg.Client,
    private readonly recordLatency: boolean,
  ) {}

  static async listen(url: string, recordLatency = false): Promise<TickNotifyListener> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const listener = new TickNotifyListener(client, recordLatency);
    client.on('notification', (n) => listener.onPayload(n.payload ?? '{}'));
    await client.query(`LISTEN ${channels.tickData.name}`);
    return listener;
  }

  private onPayload(payload: string): void {
    const now = sharedEpochNow();
    const message = JSON.parse(payload) as TickPayload;
    const times = tickTimes(message);
    this.notifies++;
    this.ticks += times.length;
    if (this.recordLatency)
      for (const t of times) {
        this.latencies.push(now - t);
        this.sentAt.push(t);
      }
  }

  /** Waits until `ticks` ticks have arrived (they were committed before the caller asks); a bench
   * that lost NOTIFYs fails rather than hangs. */
  async received(ticks: number, limitMs = 120_000): Promise<void> {
    const until = performance.now() + limitMs;
    while (this.ticks < ticks) {
      if (performance.now() > until) throw new Error(`only ${this.ticks} of ${ticks} ticks arrived by NOTIFY within ${limitMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** The PID of this connection's backend (its CPU is the NOTIFY delivery's share of the server's). */
  async backendPid(): Promise<number> {
    const { rows } = await this.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return rows[0]?.pid ?? 0;
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
