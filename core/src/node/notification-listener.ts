// LISTEN on registry channels over one dedicated connection: typed, validated payloads; reconnects
// with jittered backoff until stopped, then tells the caller how long it was deaf.
//
// Written on a plain pg.Client rather than pg-listen: pg-listen's reconnect loop outlives close()
// (after stop() during an outage it reconnects, fires "connected" and leaks a LISTEN connection),
// and its liveness check has no timeout, so a half-open connection is never noticed.
import pg from 'pg';
import { backoffDelay, sleep } from '../backoff.ts';
import { channels, type ChannelKey, type ChannelPayload } from '../channels.ts';
import type { Logger } from './logger.ts';

/** `receivedAt` is `performance.now()` when the notification was read, for latency metrics. */
type Handler<K extends ChannelKey> = (payload: ChannelPayload<K>, raw: string, receivedAt: number) => void;
type AnyHandler = (payload: unknown, raw: string, receivedAt: number) => void;

export interface NotificationListenerOptions {
  readonly connectionString: string;
  readonly channels: readonly ChannelKey[];
  readonly logger: Logger;
  /** Called after the connection was lost and LISTEN is active again: re-read what may be missed.
   * `downSince` is the last moment the connection was known to work (epoch ms). */
  readonly onReconnected?: (downSince: number) => void;
  /** Called when the connection is lost. */
  readonly onDisconnected?: () => void;
  readonly onInvalidPayload?: (channel: string, reason: string) => void;
  /** How often the connection is checked with a query (a half-open TCP connection raises no error). */
  readonly paranoidCheckMs?: number;
}

const DEFAULT_CHECK_MS = 5_000;
const CONNECT_TIMEOUT_MS = 10_000;
/** A connection that does not finish closing within this is destroyed. */
const END_TIMEOUT_MS = 1_000;

interface Route {
  readonly key: ChannelKey;
  readonly handlers: AnyHandler[];
}

export class NotificationListener {
  private client: pg.Client | undefined;
  private readonly routes = new Map<string, Route>();
  private readonly stopping = new AbortController();
  private ready: Promise<void> | undefined;
  private loop: Promise<void> | undefined;
  private paused = false;

  constructor(private readonly options: NotificationListenerOptions) {}

  on<K extends ChannelKey>(key: K, handler: Handler<K>): this {
    const name = channels[key].name;
    const route = this.routes.get(name) ?? { key, handlers: [] };
    route.handlers.push(handler as AnyHandler);
    this.routes.set(name, route);
    return this;
  }

  /** True while LISTEN is active on a working connection. */
  get connected(): boolean {
    return this.client !== undefined;
  }

  /** Stops reading notifications until resume(): flow control for a consumer that fell behind.
   * Unread notifications wait in the socket and in PostgreSQL's queue; nothing is lost. The rest
   * of the chunk being read is still delivered. */
  pause(): void {
    this.paused = true;
    this.client?.connection.stream.pause();
  }

  resume(): void {
    this.paused = false;
    this.client?.connection.stream.resume();
  }

  /** Connects and LISTENs, retrying with jittered backoff until it succeeds or stop() is called;
   * then keeps the connection up (reconnecting the same way) until stop(). */
  start(): Promise<void> {
    this.ready ??= new Promise<void>((resolve) => {
      this.loop = this.run(resolve);
    });
    return this.ready;
  }

  /** Closes the connection; no handler or callback runs after this resolves. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.ready ??= Promise.resolve();
    await this.loop;
  }

  private async run(onFirstConnection: () => void): Promise<void> {
    const { signal } = this.stopping;
    const { logger } = this.options;
    let downSince: number | undefined;
    let failures = 0;
    while (!signal.aborted) {
      let client: pg.Client;
      try {
        client = await this.connect();
      } catch (err) {
        failures++;
        logger.warn({ err: (err as Error).message, attempt: failures }, downSince === undefined
          ? 'LISTEN connection failed; retrying' : 'LISTEN reconnect attempt failed');
        await sleep(backoffDelay(failures), signal);
        continue;
      }
      if (signal.aborted) {
        await closeClient(client);
        break;
      }
      failures = 0;
      this.client = client;
      if (this.paused) client.connection.stream.pause();
      if (downSince === undefined) {
        onFirstConnection();
      } else {
        logger.info({ downMs: Date.now() - downSince }, 'LISTEN re-established');
        this.callback(() => this.options.onReconnected?.(downSince as number));
      }
      const lost = await this.watch(client, signal);
      this.client = undefined;
      await closeClient(client);
      if (signal.aborted) break;
      downSince = lost.lastAliveAt;
      logger.warn({ reason: lost.reason }, 'LISTEN connection lost; reconnecting');
      this.callback(() => this.options.onDisconnected?.());
      // Even the first retry waits a little: every service reconnecting at once would be a storm.
      failures = 1;
      await sleep(backoffDelay(failures), signal);
    }
    onFirstConnection(); // stopped before ever connecting: start() resolves all the same
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.options.connectionString, application_name: 'barstream-listener',
      keepAlive: true, connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    // Until watch() takes over, an error event must not crash the process; connect() reports it.
    client.on('error', () => undefined);
    // Attached before LISTEN: a notification read in the same chunk as LISTEN's reply is not lost.
    client.on('notification', (n) => this.dispatch(n.channel, n.payload ?? ''));
    try {
      await client.connect();
      await client.query(this.options.channels.map((k) => `LISTEN ${client.escapeIdentifier(channels[k].name)}`).join('; '));
    } catch (err) {
      await closeClient(client);
      throw err;
    }
    return client;
  }

  /** Resolves when the connection fails (error, end, or an unanswered check) or on stop(). */
  private watch(client: pg.Client, signal: AbortSignal): Promise<{ reason: string; lastAliveAt: number }> {
    const checkMs = this.options.paranoidCheckMs ?? DEFAULT_CHECK_MS;
    let lastAliveAt = Date.now();
    return new Promise((resolve) => {
      let finished = false;
      const finish = (reason: string, at: number): void => {
        if (finished) return;
        finished = true;
        clearInterval(timer);
        signal.removeEventListener('abort', onAbort);
        client.off('error', onError);
        client.off('end', onEnd);
        client.off('notification', onNotification);
        resolve({ reason, lastAliveAt: at });
      };
      const onError = (err: Error): void => finish(`connection error: ${err.message}`, Date.now());
      const onEnd = (): void => finish('connection ended', Date.now());
      const onAbort = (): void => finish('stopping', Date.now());
      const onNotification = (): void => { lastAliveAt = Date.now(); };
      client.on('error', onError);
      client.on('end', onEnd);
      client.on('notification', onNotification);
      signal.addEventListener('abort', onAbort, { once: true });
      let checking = false;
      const timer = setInterval(() => {
        if (checking) return;
        checking = true;
        const sentAt = Date.now();
        // The answer queues behind unread notifications: a busy connection that keeps delivering
        // them is alive however late the answer. Lost silently: the last sign of life was before
        // this check, not when it timed out.
        let timeout: NodeJS.Timeout;
        const expire = (): void => {
          if (finished) return;
          if (Date.now() - lastAliveAt < checkMs) timeout = setTimeout(expire, checkMs);
          else finish(`no answer to a check within ${checkMs} ms`, lastAliveAt);
        };
        timeout = setTimeout(expire, checkMs);
        client.query('SELECT 1').then(() => {
          lastAliveAt = Math.max(lastAliveAt, sentAt);
        }, (err: unknown) => finish(`check failed: ${(err as Error).message}`, lastAliveAt)).finally(() => {
          clearTimeout(timeout);
          checking = false;
        });
      }, checkMs);
    });
  }

  private dispatch(channelName: string, raw: string): void {
    const receivedAt = performance.now();
    const route = this.routes.get(channelName);
    if (!route || this.stopping.signal.aborted) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      this.options.onInvalidPayload?.(channelName, 'payload is not JSON');
      return;
    }
    const result = channels[route.key].schema.safeParse(parsed);
    if (!result.success) {
      this.options.onInvalidPayload?.(channelName, result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      return;
    }
    for (const handler of route.handlers) {
      try {
        handler(result.data, raw, receivedAt);
      } catch (err) {
        this.options.logger.error({ err: (err as Error).message, channel: channelName }, 'notification handler failed');
      }
    }
  }

  private callback(run: () => void): void {
    try {
      run();
    } catch (err) {
      this.options.logger.error({ err: (err as Error).message }, 'listener callback failed');
    }
  }
}

/** Ends a connection politely, or destroys it when it does not close in time (half-open socket). */
async function closeClient(client: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), END_TIMEOUT_MS); });
  const outcome = await Promise.race([client.end().then(() => 'ended' as const, () => 'ended' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') client.connection.stream.destroy();
}
