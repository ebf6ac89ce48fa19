// LISTEN on registry channels through pg-listen: typed, validated payloads; reconnects with jittered
// backoff until stopped, then tells the caller how long it was deaf.
//
// pg-listen connects, LISTENs, forwards notifications and runs its paranoid check query. This thin
// layer adds the registry's schemas, the resync callbacks and flow control, and handles pg-listen's
// two known faults where they bite:
// - Its reconnect loop ignores close(): stopped during an outage it keeps retrying, reconnects when
//   the database returns, LISTENs and fires "connected" — a leaked LISTEN connection. So each
//   pg-listen subscriber here lives for one connection (retryLimit 1: pg-listen makes no attempt of
//   its own and reports the loss), and this layer reconnects with a fresh subscriber in a loop that
//   stop() aborts — including a connection attempt in flight — and awaits.
// - Its paranoid check has no timeout: on a half-open or stalled connection the query never returns
//   and nothing notices. This layer owns each connection's socket (pg's `stream` option) and judges
//   it by its traffic (liveness-watch.ts): any byte read is alive; a check left unanswered for
//   several consecutive samples is dead. A loaded machine slows answers and checks alike, so load
//   alone does not make a live connection look dead.
import net from 'node:net';
import createSubscriber, { type Subscriber } from 'pg-listen';
import { backoffDelay, sleep } from '../backoff.ts';
import { channels, type ChannelKey, type ChannelPayload } from '../channels.ts';
import { LivenessWatch } from './liveness-watch.ts';
import type { Logger } from './logger.ts';

/** `receivedAt` is `performance.now()` when the notification was read, for latency metrics. */
type Handler<K extends ChannelKey> = (payload: ChannelPayload<K>, raw: string, receivedAt: number) => void;
type AnyHandler = (payload: unknown, raw: string, receivedAt: number) => void;
/** Decides from the raw payload, before it is parsed, whether the handler wants it. */
type RawFilter = (raw: string) => boolean;

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
  /** How often pg-listen checks the connection with a query and this layer samples its traffic (a
   * half-open TCP connection raises no error). Dead after DEAD_AFTER_CHECKS unanswered samples. */
  readonly paranoidCheckMs?: number;
}

const DEFAULT_CHECK_MS = 5_000;
/** A check unanswered for this many consecutive samples after the one that saw it sent (30–35 s
 * at the default) is a dead connection: generous, because a busy server answers in the end. */
export const DEAD_AFTER_CHECKS = 6;
const CONNECT_TIMEOUT_MS = 10_000;
/** TCP keepalive probes start after this much silence: the kernel's backstop for a vanished peer. */
const KEEPALIVE_IDLE_MS = 10_000;
/** A connection that does not finish closing within this is destroyed. */
const END_TIMEOUT_MS = 1_000;

interface Route {
  readonly key: ChannelKey;
  readonly handlers: { readonly handle: AnyHandler; readonly accepts?: RawFilter }[];
}

/** One pg-listen subscriber on one socket, and how it ended. */
interface Connection {
  readonly subscriber: Subscriber;
  readonly socket: net.Socket;
  /** Resolves with the reason when the connection is lost (never rejects). */
  readonly lost: Promise<string>;
  readonly markLost: (reason: string) => void;
  lastAliveAt: number;
  watch?: LivenessWatch;
}

export class NotificationListener {
  private current: Connection | undefined;
  private readonly routes = new Map<string, Route>();
  private readonly stopping = new AbortController();
  private ready: Promise<void> | undefined;
  private loop: Promise<void> | undefined;
  private paused = false;

  constructor(private readonly options: NotificationListenerOptions) {}

  /** `accepts`: read from the raw payload whether the handler wants it; a payload no handler of its
   * channel accepts is neither parsed nor validated (a consumer that wants few of a busy channel's). */
  on<K extends ChannelKey>(key: K, handler: Handler<K>, accepts?: RawFilter): this {
    const name = channels[key].name;
    const route = this.routes.get(name) ?? { key, handlers: [] };
    route.handlers.push({ handle: handler as AnyHandler, ...(accepts ? { accepts } : {}) });
    this.routes.set(name, route);
    return this;
  }

  /** True while LISTEN is active on a working connection. */
  get connected(): boolean {
    return this.current !== undefined;
  }

  /** Consecutive liveness samples so far in which a check went unanswered (0 when none is owed). */
  get unansweredChecks(): number {
    return this.current?.watch?.unansweredChecks ?? 0;
  }

  /** Stops reading notifications until resume(): flow control for a consumer that fell behind.
   * Unread notifications wait in the socket and in PostgreSQL's queue; nothing is lost. The rest
   * of the chunk being read is still delivered. While paused the connection is never judged dead. */
  pause(): void {
    this.paused = true;
    this.current?.socket.pause();
  }

  resume(): void {
    this.paused = false;
    this.current?.socket.resume();
  }

  /** Connects and LISTENs, retrying with jittered backoff until it succeeds or stop() is called;
   * then keeps the connection up (reconnecting the same way) until stop(). */
  start(): Promise<void> {
    this.ready ??= new Promise<void>((resolve) => {
      this.loop = this.run(resolve);
    });
    return this.ready;
  }

  /** Closes the connection and ends the reconnect loop; no handler or callback runs after this
   * resolves, and no connection is opened afterwards. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.ready ??= Promise.resolve();
    await this.loop;
  }

  private async run(onFirstConnection: () => void): Promise<void> {
    const { signal } = this.stopping;
    const { logger } = this.options;
    const stopped = new Promise<string>((resolve) => signal.addEventListener('abort', () => resolve('stopping'), { once: true }));
    let downSince: number | undefined;
    let failures = 0;
    while (!signal.aborted) {
      let connection: Connection;
      try {
        connection = await this.connect(signal);
      } catch (err) {
        if (signal.aborted) break; // the attempt was ended by stop()
        failures++;
        logger.warn(
          { err: (err as Error).message, attempt: failures },
          downSince === undefined ? 'LISTEN connection failed; retrying' : 'LISTEN reconnect attempt failed',
        );
        await sleep(backoffDelay(failures), signal);
        continue;
      }
      if (signal.aborted) {
        await closeConnection(connection);
        break;
      }
      failures = 0;
      this.current = connection;
      if (this.paused) connection.socket.pause();
      if (downSince === undefined) {
        onFirstConnection();
      } else {
        logger.info({ downMs: Date.now() - downSince }, 'LISTEN re-established');
        this.callback(() => this.options.onReconnected?.(downSince as number));
      }
      const reason = await Promise.race([connection.lost, stopped]);
      this.current = undefined;
      await closeConnection(connection);
      if (signal.aborted) break;
      downSince = connection.lastAliveAt;
      logger.warn({ reason }, 'LISTEN connection lost; reconnecting');
      this.callback(() => this.options.onDisconnected?.());
      // Even the first retry waits a little: every service reconnecting at once would be a storm.
      failures = 1;
      await sleep(backoffDelay(failures), signal);
    }
    onFirstConnection(); // stopped before ever connecting: start() resolves all the same
  }

  /** One pg-listen subscriber, connected and LISTENing, on a socket this layer owns. */
  private async connect(signal: AbortSignal): Promise<Connection> {
    const socket = new net.Socket();
    let cause: string | undefined;
    socket.on('error', (err) => {
      cause = err.message;
    });
    const subscriber = createSubscriber(
      {
        connectionString: this.options.connectionString,
        application_name: 'barstream-listener',
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        keepAliveInitialDelayMillis: KEEPALIVE_IDLE_MS,
        // pg-listen creates its one client here (it never creates another with retryLimit 1).
        stream: () => socket,
      },
      {
        // 1 means no attempt at all (pg-listen tries while attempt < retryLimit): on a lost
        // connection it ends the client and emits "error", and this layer reconnects.
        retryLimit: 1,
        paranoidChecking: this.options.paranoidCheckMs ?? DEFAULT_CHECK_MS,
        parse: (raw: string) => raw, // the registry's schema parses; pg-listen's JSON.parse would throw on bad input
      },
    );
    let markLost: (reason: string) => void = () => undefined;
    const lost = new Promise<string>((resolve) => {
      markLost = resolve;
    });
    const connection: Connection = { subscriber, socket, lost, markLost, lastAliveAt: Date.now() };
    // pg-listen reports a lost connection, a failed check and its own give-up as "error"; one
    // listener stays for the subscriber's life so a late one never goes unhandled.
    // The socket's own error names the cause best (pg-listen's give-up message does not).
    const loss = (otherwise: string): string => (cause === undefined ? otherwise : `connection error: ${cause}`);
    subscriber.events.on('error', (err) => connection.markLost(loss(`connection lost (pg-listen: ${err.message})`)));
    socket.on('close', () => connection.markLost(loss('connection closed')));
    socket.on('data', () => {
      connection.lastAliveAt = Date.now();
    });
    // Attached before LISTEN: a notification read in the same chunk as LISTEN's reply is not lost.
    subscriber.events.on('notification', (n) => this.dispatch(n.channel, typeof n.payload === 'string' ? n.payload : ''));
    // stop() during an attempt ends it at once: the attempt cannot complete later and leak.
    const abort = (): void => {
      socket.destroy(new Error('listener stopped'));
    };
    signal.addEventListener('abort', abort, { once: true });
    try {
      await subscriber.connect();
      // One at a time: pg deprecates queueing a query while another runs.
      for (const k of this.options.channels) await subscriber.listenTo(channels[k].name);
    } catch (err) {
      await closeConnection(connection);
      throw err;
    } finally {
      signal.removeEventListener('abort', abort);
    }
    connection.lastAliveAt = Date.now();
    connection.watch = new LivenessWatch({
      source: socket,
      checkMs: this.options.paranoidCheckMs ?? DEFAULT_CHECK_MS,
      deadAfter: DEAD_AFTER_CHECKS,
      isPaused: () => this.paused,
      onDead: (reason) => connection.markLost(reason),
    });
    return connection;
  }

  private dispatch(channelName: string, raw: string): void {
    const receivedAt = performance.now();
    const route = this.routes.get(channelName);
    if (!route || this.stopping.signal.aborted) return;
    const wanted = route.handlers.filter((h) => h.accepts === undefined || h.accepts(raw));
    if (wanted.length === 0) return;
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
    for (const handler of wanted) {
      try {
        handler.handle(result.data, raw, receivedAt);
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

/** Closes politely through pg-listen, or destroys the socket when that does not finish in time
 * (a half-open or stalled connection never answers the goodbye). */
async function closeConnection(connection: Connection): Promise<void> {
  connection.watch?.stop();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, END_TIMEOUT_MS);
  });
  await Promise.race([connection.subscriber.close().catch(() => undefined), timedOut]);
  clearTimeout(timer);
  connection.socket.destroy();
}
