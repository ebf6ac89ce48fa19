// One registry channel's NOTIFY payloads, parsed by the channel's schema, on a connection of its own.
import { CONDITION_TIMEOUT_MS } from './condition-timeout.ts';
import pg from 'pg';
import { type ChannelKey, type ChannelPayload, channels } from '../../core/src/index.ts';

export class ChannelListener<K extends ChannelKey> {
  private received: ChannelPayload<K>[] = [];

  private constructor(private readonly client: pg.Client) {}

  static async listen<K extends ChannelKey>(url: string, key: K): Promise<ChannelListener<K>> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const listener = new ChannelListener<K>(client);
    const { name, schema } = channels[key];
    client.on('notification', (n) => listener.received.push(schema.parse(JSON.parse(n.payload ?? '')) as ChannelPayload<K>));
    await client.query(`LISTEN ${name}`);
    return listener;
  }

  /** What has arrived so far. */
  get messages(): readonly ChannelPayload<K>[] {
    return this.received;
  }

  /** Delivery is asynchronous: waits until `count` arrived (up to CONDITION_TIMEOUT_MS), then `graceMs` longer for
   * any that must not; returns them all and starts a new collection. */
  async take(count: number, graceMs = 200): Promise<ChannelPayload<K>[]> {
    for (let waited = 0; this.received.length < count && waited < CONDITION_TIMEOUT_MS; waited += 20)
      await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, graceMs));
    return this.clear();
  }

  /** Returns what arrived and starts a new collection. */
  clear(): ChannelPayload<K>[] {
    const got = this.received;
    this.received = [];
    return got;
  }

  end(): Promise<void> {
    return this.client.end();
  }
}
