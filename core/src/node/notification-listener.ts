// LISTEN on registry channels through pg-listen: typed, validated payloads; reconnects forever.
import createSubscriber, { type Subscriber } from 'pg-listen';
import { channels, type ChannelKey, type ChannelPayload } from '../channels.ts';
import { backoffDelay, sleep } from '../backoff.ts';
import type { Logger } from './logger.ts';

type Handler<K extends ChannelKey> = (payload: ChannelPayload<K>, raw: string) => void;

export interface NotificationListenerOptions {
  readonly connectionString: string;
  readonly channels: readonly ChannelKey[];
  readonly logger: Logger;
  /** Called after the connection was lost and LISTEN is active again: re-read what may be missed. */
  readonly onReconnected?: (downSince: number) => void;
  /** Called when the connection is lost. */
  readonly onDisconnected?: () => void;
  readonly onInvalidPayload?: (channel: string, reason: string) => void;
  readonly paranoidCheckMs?: number;
}

export class NotificationListener {
  private subscriber: Subscriber<Record<string, string>> | undefined;
  private readonly handlers = new Map<string, Array<(p: unknown, raw: string) => void>>();
  private readonly stopping = new AbortController();
  private downSince: number | undefined;
  private started = false;

  constructor(private readonly options: NotificationListenerOptions) {}

  on<K extends ChannelKey>(key: K, handler: Handler<K>): this {
    const name = channels[key].name;
    const list = this.handlers.get(name) ?? [];
    list.push(handler as (p: unknown, raw: string) => void);
    this.handlers.set(name, list);
    return this;
  }

  get connected(): boolean {
    return this.subscriber !== undefined && this.downSince === undefined;
  }

  /** Connects and LISTENs, retrying with jittered backoff until it succeeds or stop() is called. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (let attempt = 1; !this.stopping.signal.aborted; attempt++) {
      const subscriber = this.createSubscriber();
      try {
        await subscriber.connect();
        for (const k of this.options.channels) await subscriber.listenTo(channels[k].name);
        this.subscriber = subscriber;
        return;
      } catch (err) {
        await subscriber.close().catch(() => undefined);
        this.options.logger.warn({ err: (err as Error).message, attempt }, 'LISTEN connection failed; retrying');
        await sleep(backoffDelay(attempt), this.stopping.signal);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await subscriber.close().catch(() => undefined);
  }

  private createSubscriber(): Subscriber<Record<string, string>> {
    const subscriber = createSubscriber<Record<string, string>>(
      { connectionString: this.options.connectionString, application_name: 'barstream-listener' },
      {
        retryLimit: Infinity,
        retryTimeout: 0, // 0 disables pg-listen's give-up timeout: keep trying while the database is down
        retryInterval: (attempt: number) => backoffDelay(attempt),
        paranoidChecking: this.options.paranoidCheckMs ?? 5_000,
        parse: (raw: string) => raw,
      },
    );
    subscriber.events.on('notification', ({ channel, payload }: { channel: string; payload?: unknown }) => {
      this.dispatch(channel, typeof payload === 'string' ? payload : '');
    });
    subscriber.events.on('reconnect', (attempt: number) => {
      if (this.downSince === undefined) {
        this.downSince = Date.now();
        this.options.logger.warn('LISTEN connection lost; reconnecting');
        this.options.onDisconnected?.();
      }
      this.options.logger.debug({ attempt }, 'LISTEN reconnect attempt');
    });
    subscriber.events.on('connected', () => {
      if (this.downSince === undefined) return;
      const since = this.downSince;
      this.downSince = undefined;
      this.options.logger.info({ downMs: Date.now() - since }, 'LISTEN re-established');
      this.options.onReconnected?.(since);
    });
    subscriber.events.on('error', (err: Error) => {
      this.options.logger.error({ err: err.message }, 'LISTEN client error');
    });
    return subscriber;
  }

  private dispatch(channelName: string, raw: string): void {
    const key = (Object.keys(channels) as ChannelKey[]).find((k) => channels[k].name === channelName);
    const handlers = this.handlers.get(channelName);
    if (!key || !handlers) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      this.options.onInvalidPayload?.(channelName, 'payload is not JSON');
      return;
    }
    const result = channels[key].schema.safeParse(parsed);
    if (!result.success) {
      this.options.onInvalidPayload?.(channelName, result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      return;
    }
    for (const handler of handlers) {
      try {
        handler(result.data, raw);
      } catch (err) {
        this.options.logger.error({ err: (err as Error).message, channel: channelName }, "notification handler failed");
      }
    }
  }
}
