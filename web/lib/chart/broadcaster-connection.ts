// The page's one WebSocket to a broadcaster, shared by every part of the page that streams (the chart,
// the alert toasts, a table): each joins with its subscriptions and leaves with them. Each distinct
// subscription is sent once (counted across members, unsubscribed when its last member leaves), every
// message is parsed once and handed to each member (each filters what it reads, as it did with a
// socket of its own), and a lost connection reconnects for all with capped, jittered backoff. Before
// each attempt it asks the web server for a fresh short-lived ticket (tickets expire, reconnects can
// come much later) and passes it as ?ticket=. Before this, each part opened its own socket: two or
// three per tab for the broadcaster to hold, authenticate and write to.
import { backoffDelay } from '@barstream/core';
import type { HandlerTimings } from './handler-timings.ts';

export type ConnectionStatus = 'live' | 'reconnecting' | 'offline';

/** The web route that issues WebSocket tickets (web/app/session/ws-ticket/route.ts). */
export const WS_TICKET_PATH = '/session/ws-ticket';

export interface ConnectionMember {
  /** Sent (those no other member has sent) each time the socket opens, and at once on joining an open one. */
  readonly subscriptions: readonly object[];
  readonly onMessage: (message: unknown) => void;
  readonly onStatus: (status: ConnectionStatus) => void;
  /** After the subscriptions went out: `downSince` is when the previous connection was lost (epoch
   * ms); undefined on the member's first open. */
  readonly onOpen: (downSince: number | undefined) => void;
  /** Records how long each message took to parse and for this member to handle. */
  readonly timings?: HandlerTimings;
}

const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
/** Failed attempts in a row after which the badge says offline rather than reconnecting. */
const OFFLINE_AFTER_ATTEMPTS = 4;

const connections = new Map<string, BroadcasterConnection>();

/** The page's connection to `url` (tickets from `ticketUrl`), opened by its first member. */
export function connectionTo(url: string, ticketUrl = WS_TICKET_PATH): BroadcasterConnection {
  const key = `${url}\n${ticketUrl}`;
  let connection = connections.get(key);
  if (!connection) {
    connection = new BroadcasterConnection(url, ticketUrl, () => connections.delete(key));
    connections.set(key, connection);
  }
  return connection;
}

export class BroadcasterConnection {
  private readonly members = new Set<ConnectionMember>();
  /** Subscription (its JSON) → how many members asked for it; what the open socket has been sent. */
  private readonly sent = new Map<string, number>();
  private socket: WebSocket | undefined;
  private open = false;
  private status: ConnectionStatus = 'reconnecting';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private fetchingTicket = false;
  /** Bumped by close() and each attempt, so a ticket that arrives late opens nothing. */
  private attempt = 0;
  private downSince: number | undefined;
  private readonly reconnectNow = (): void => {
    if (this.members.size === 0 || this.socket || this.fetchingTicket) return;
    clearTimeout(this.timer);
    this.connect();
  };

  constructor(
    private readonly url: string,
    private readonly ticketUrl: string,
    private readonly onClosed: () => void,
  ) {}

  get memberCount(): number {
    return this.members.size;
  }

  join(member: ConnectionMember): void {
    if (this.members.has(member)) return;
    this.members.add(member);
    if (this.members.size === 1 && !this.socket && !this.fetchingTicket) {
      window.addEventListener('online', this.reconnectNow);
      this.connect();
      return;
    }
    member.onStatus(this.status);
    if (!this.open || !this.socket) return;
    for (const s of member.subscriptions) this.subscribe(this.socket, s);
    member.onOpen(undefined);
  }

  leave(member: ConnectionMember): void {
    if (!this.members.delete(member)) return;
    if (this.members.size === 0) return this.close();
    for (const s of member.subscriptions) {
      const key = JSON.stringify(s);
      const n = this.sent.get(key) ?? 0;
      if (n > 1) this.sent.set(key, n - 1);
      else if (n === 1) {
        this.sent.delete(key);
        if (this.open) this.socket?.send(JSON.stringify({ ...s, type: 'unsubscribe' }));
      }
    }
  }

  private close(): void {
    this.attempt++;
    this.fetchingTicket = false;
    window.removeEventListener('online', this.reconnectNow);
    clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = undefined;
    this.open = false;
    this.sent.clear();
    if (socket) {
      socket.onopen = socket.onclose = socket.onerror = socket.onmessage = null;
      socket.close();
    }
    this.onClosed();
  }

  private subscribe(socket: WebSocket, subscription: object): void {
    const key = JSON.stringify(subscription);
    const n = this.sent.get(key) ?? 0;
    this.sent.set(key, n + 1);
    if (n === 0) socket.send(key);
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    for (const m of [...this.members]) m.onStatus(status);
  }

  private connect(): void {
    this.setStatus(this.failures >= OFFLINE_AFTER_ATTEMPTS || !navigator.onLine ? 'offline' : 'reconnecting');
    const attempt = ++this.attempt;
    this.fetchingTicket = true;
    void this.socketUrl().then((url) => {
      if (attempt !== this.attempt || this.members.size === 0) return;
      this.fetchingTicket = false;
      this.openSocket(url);
    });
  }

  /** The broadcaster URL with a fresh ticket; without one (ticket route unreachable, not signed in)
   * the plain URL, which a broadcaster that asks for tickets refuses and the backoff retries. */
  private async socketUrl(): Promise<string> {
    try {
      const res = await fetch(this.ticketUrl, { cache: 'no-store', credentials: 'same-origin' });
      if (!res.ok) return this.url;
      const body = (await res.json()) as { ticket?: unknown };
      if (typeof body.ticket !== 'string') return this.url;
      const url = new URL(this.url);
      url.searchParams.set('ticket', body.ticket);
      return url.toString();
    } catch {
      return this.url;
    }
  }

  private openSocket(url: string): void {
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
      this.open = true;
      this.sent.clear();
      const members = [...this.members];
      for (const m of members) for (const s of m.subscriptions) this.subscribe(socket, s);
      this.setStatus('live');
      const downSince = this.downSince;
      this.downSince = undefined;
      for (const m of members) if (this.members.has(m)) m.onOpen(downSince);
    };
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      const received = performance.now();
      let message: unknown;
      try {
        message = JSON.parse(event.data);
      } catch {
        return; // not ours to crash on
      }
      // Each member's time: the shared parse, then its own handling (not the other members').
      const parseMs = performance.now() - received;
      for (const m of [...this.members]) {
        const started = performance.now();
        m.onMessage(message);
        m.timings?.record(parseMs + performance.now() - started);
      }
    };
    // Browsers follow an error with close; some runtimes report a refused connection only as an
    // error. Either way the socket is finished, once.
    const lost = (): void => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.open = false;
      this.sent.clear();
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
    if (this.members.size === 0) return;
    this.failures++;
    this.setStatus(this.failures >= OFFLINE_AFTER_ATTEMPTS || !navigator.onLine ? 'offline' : 'reconnecting');
    this.timer = setTimeout(() => this.connect(), backoffDelay(this.failures, { initialMs: INITIAL_DELAY_MS, maxMs: MAX_DELAY_MS }));
  }
}
