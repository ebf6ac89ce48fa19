// One WebSocket to the broadcaster that re-subscribes on every open and reconnects with
// capped, jittered backoff until stopped. Before each attempt it asks the web server for a fresh
// short-lived ticket (tickets expire, reconnects can come much later) and passes it as ?ticket=.
import { backoffDelay } from '@barstream/core';
import type { HandlerTimings } from './handler-timings.ts';

export type ConnectionStatus = 'live' | 'reconnecting' | 'offline';

/** The web route that issues WebSocket tickets (web/app/session/ws-ticket/route.ts). */
export const WS_TICKET_PATH = '/session/ws-ticket';

export interface BroadcasterSocketOptions {
  readonly url: string;
  /** Where tickets come from; default WS_TICKET_PATH on the page's origin. */
  readonly ticketUrl?: string;
  /** Sent, in order, each time the socket opens. */
  readonly subscriptions: readonly object[];
  readonly onMessage: (message: unknown) => void;
  readonly onStatus: (status: ConnectionStatus) => void;
  /**
   * After the subscriptions went out: the caller re-reads what it may have missed. `downSince`:
   * when the previous connection was lost (epoch ms); undefined on the first open.
   */
  readonly onOpen: (downSince: number | undefined) => void;
  /** Records how long each message took to parse and handle. */
  readonly timings?: HandlerTimings;
}

const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
/** Failed attempts in a row after which the badge says offline rather than reconnecting. */
const OFFLINE_AFTER_ATTEMPTS = 4;

export class BroadcasterSocket {
  private socket: WebSocket | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private fetchingTicket = false;
  private stopped = false;
  /** Bumped by stop() and each attempt, so a ticket that arrives late opens nothing. */
  private attempt = 0;
  private downSince: number | undefined;
  private readonly reconnectNow = (): void => {
    if (this.stopped || this.socket || this.fetchingTicket) return;
    clearTimeout(this.timer);
    this.connect();
  };

  constructor(private readonly options: BroadcasterSocketOptions) {}

  start(): void {
    this.stopped = false;
    window.addEventListener('online', this.reconnectNow);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.attempt++;
    this.fetchingTicket = false;
    window.removeEventListener('online', this.reconnectNow);
    clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.onopen = socket.onclose = socket.onerror = socket.onmessage = null;
      socket.close();
    }
  }

  private connect(): void {
    this.options.onStatus(this.failures >= OFFLINE_AFTER_ATTEMPTS || !navigator.onLine ? 'offline' : 'reconnecting');
    const attempt = ++this.attempt;
    this.fetchingTicket = true;
    void this.socketUrl().then((url) => {
      if (attempt !== this.attempt || this.stopped) return;
      this.fetchingTicket = false;
      this.open(url);
    });
  }

  /** The broadcaster URL with a fresh ticket; without one (ticket route unreachable, not signed in)
   * the plain URL, which a broadcaster that asks for tickets refuses and the backoff retries. */
  private async socketUrl(): Promise<string> {
    const base = this.options.url;
    try {
      const res = await fetch(this.options.ticketUrl ?? WS_TICKET_PATH, { cache: 'no-store', credentials: 'same-origin' });
      if (!res.ok) return base;
      const body = (await res.json()) as { ticket?: unknown };
      if (typeof body.ticket !== 'string') return base;
      const url = new URL(base);
      url.searchParams.set('ticket', body.ticket);
      return url.toString();
    } catch {
      return base;
    }
  }

  private open(url: string): void {
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch {
      this.scheduleReconnect(); // malformed URL: keep the badge honest rather than throw
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.failures = 0;
      for (const s of this.options.subscriptions) socket.send(JSON.stringify(s));
      this.options.onStatus('live');
      const downSince = this.downSince;
      this.downSince = undefined;
      this.options.onOpen(downSince);
    };
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      const started = performance.now();
      let message: unknown;
      try {
        message = JSON.parse(event.data);
      } catch {
        return; // not ours to crash on
      }
      this.options.onMessage(message);
      this.options.timings?.record(performance.now() - started);
    };
    // Browsers follow an error with close; some runtimes report a refused connection only as an
    // error. Either way the socket is finished, once.
    const lost = (): void => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      // Kept from the first loss until an open: failed attempts in between do not move it.
      this.downSince ??= Date.now();
      socket.onopen = socket.onclose = socket.onerror = socket.onmessage = null;
      if (socket.readyState !== WebSocket.CLOSED) socket.close();
      this.scheduleReconnect();
    };
    socket.onclose = lost;
    socket.onerror = lost;
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.failures++;
    this.options.onStatus(this.failures >= OFFLINE_AFTER_ATTEMPTS || !navigator.onLine ? 'offline' : 'reconnecting');
    this.timer = setTimeout(() => this.connect(), backoffDelay(this.failures, { initialMs: INITIAL_DELAY_MS, maxMs: MAX_DELAY_MS }));
  }
}
