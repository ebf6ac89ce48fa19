// A part of the page that streams from the broadcaster (the chart, the alert toasts, a table): its
// subscriptions and handlers on the page's one shared connection (broadcaster-connection.ts), which
// re-subscribes on every open and reconnects until the last part stops.
import {
  type BroadcasterConnection,
  type ConnectionMember,
  type ConnectionStatus,
  connectionTo,
  WS_TICKET_PATH,
} from './broadcaster-connection.ts';
import type { HandlerTimings } from './handler-timings.ts';

export { type ConnectionStatus, WS_TICKET_PATH };

export interface BroadcasterSocketOptions {
  readonly url: string;
  /** Where tickets come from; default WS_TICKET_PATH on the page's origin. */
  readonly ticketUrl?: string;
  /** Sent, in order, each time the socket opens (each once per connection, whoever else asks for it). */
  readonly subscriptions: readonly object[];
  /** Every message of the connection: also those of the other parts' subscriptions, to be ignored. */
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

export class BroadcasterSocket {
  private connection: BroadcasterConnection | undefined;
  private readonly member: ConnectionMember;

  constructor(private readonly options: BroadcasterSocketOptions) {
    // Its own object, so that the same options given twice are two members.
    this.member = {
      subscriptions: options.subscriptions,
      onMessage: options.onMessage,
      onStatus: options.onStatus,
      onOpen: options.onOpen,
      ...(options.timings ? { timings: options.timings } : {}),
    };
  }

  start(): void {
    this.connection ??= connectionTo(this.options.url, this.options.ticketUrl);
    this.connection.join(this.member);
  }

  stop(): void {
    this.connection?.leave(this.member);
    this.connection = undefined;
  }
}
