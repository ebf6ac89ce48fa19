// The ProjectX market hub connection (SignalR): connect, subscribe, resubscribe after every reconnect, rebuild when closed.
import { HttpTransportType, HubConnectionBuilder, HubConnectionState, type HubConnection, type RetryContext } from '@microsoft/signalr';
import { backoffDelay, sleep, type BackoffOptions } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import { SignalRLogAdapter } from './signalr-log-adapter.ts';

export interface ProjectXMarketHubOptions {
  /** e.g. https://rtc.topstepx.com/hubs/market */
  readonly url: string;
  readonly contractIds: readonly string[];
  /** A currently valid session token (refreshed by the REST session when due). */
  readonly token: () => Promise<string>;
  /** A newly issued token (a fresh login): used once a connect with the current one has failed. */
  readonly renewToken: () => Promise<string>;
  readonly logger: Logger;
  readonly backoff?: BackoffOptions;
  /** A Subscribe* invocation not completed by then counts as a failed connection. */
  readonly invokeTimeoutMs?: number;
  readonly serverTimeoutMs?: number;
  readonly keepAliveMs?: number;
}

export interface MarketHubListener {
  onTrade(contractId: unknown, data: unknown): void;
  onQuote(contractId: unknown, data: unknown): void;
  /** Trades and quotes are subscribed on a new or restored connection. */
  onSubscribed(): void;
  /** The connection dropped (a reconnect is already under way). */
  onLost(reason: string): void;
}

const DEFAULT_INVOKE_TIMEOUT_MS = 10_000;

export class ProjectXMarketHub {
  private connection: HubConnection | undefined;
  private listener: MarketHubListener | undefined;
  private stopped = true;
  private abort = new AbortController();
  private loop: Promise<void> | undefined;
  /** Hub connections built so far (the first and every rebuild; automatic reconnects reuse one). */
  builds = 0;
  /** Subscribed on every (re)connect: the configured contracts and the ones added since. */
  private contractIds: string[];

  constructor(private readonly options: ProjectXMarketHubOptions) {
    this.contractIds = [...options.contractIds];
  }

  /** Subscribes one more contract now (when connected) and on every reconnect. A failed invocation
   * is logged; the next reconnect subscribes it again. */
  async addContract(contractId: string): Promise<void> {
    if (this.contractIds.includes(contractId)) return;
    this.contractIds.push(contractId);
    await this.invokeLive(['SubscribeContractTrades', 'SubscribeContractQuotes'], contractId);
  }

  async removeContract(contractId: string): Promise<void> {
    if (!this.contractIds.includes(contractId)) return;
    this.contractIds = this.contractIds.filter((id) => id !== contractId);
    await this.invokeLive(['UnsubscribeContractTrades', 'UnsubscribeContractQuotes'], contractId);
  }

  private async invokeLive(methods: readonly string[], contractId: string): Promise<void> {
    const connection = this.connection;
    if (!connection || connection.state !== HubConnectionState.Connected) return;
    try {
      await Promise.all(methods.map((m) => this.invoke(connection, m, contractId)));
      this.options.logger.info({ contract: contractId, methods }, 'ProjectX market hub subscriptions changed');
    } catch (error) {
      this.options.logger.warn(
        { contract: contractId, err: (error as Error).message },
        'ProjectX market hub: changing a subscription failed',
      );
    }
  }

  /** Starts connecting in the background; progress is reported through the listener. */
  start(listener: MarketHubListener): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.listener = listener;
    this.abort = new AbortController();
    this.loop = this.connectLoop();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    const connection = this.connection;
    this.connection = undefined;
    await connection?.stop().catch(() => undefined);
    await this.loop;
  }

  /** Builds a connection and subscribes, retrying with backoff until it works or stop() is called. */
  private async connectLoop(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      let connection: HubConnection | undefined;
      try {
        // A refused upgrade (bad token) looks like any other failure from here: after one, log in afresh.
        connection = this.build(await (attempt === 1 ? this.options.token() : this.options.renewToken()));
        if (this.stopped) return;
        this.connection = connection;
        await connection.start();
        await this.subscribe(connection);
        if (this.stopped) return void (await connection.stop());
        this.options.logger.info({ contracts: this.contractIds }, 'ProjectX market hub connected and subscribed');
        this.listener?.onSubscribed();
        return;
      } catch (error) {
        if (this.stopped) return;
        const delay = backoffDelay(attempt, this.options.backoff);
        this.options.logger.warn({ err: error, attempt, retryInMs: delay }, 'ProjectX market hub connection failed');
        if (connection) {
          // Retire it first, so its close is not mistaken for the loss of a live connection.
          if (this.connection === connection) this.connection = undefined;
          await connection.stop().catch(() => undefined);
        }
        await sleep(delay, this.abort.signal);
      }
    }
  }

  private build(token: string): HubConnection {
    this.builds++;
    let builder = new HubConnectionBuilder()
      .withUrl(this.urlWith(token), {
        skipNegotiation: true,
        transport: HttpTransportType.WebSockets,
        // Asked again on every automatic reconnect, so a refreshed token is used for it.
        accessTokenFactory: () => this.options.token(),
      })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => this.retryDelay(ctx) })
      .configureLogging(new SignalRLogAdapter(this.options.logger));
    if (this.options.serverTimeoutMs !== undefined) builder = builder.withServerTimeout(this.options.serverTimeoutMs);
    if (this.options.keepAliveMs !== undefined) builder = builder.withKeepAliveInterval(this.options.keepAliveMs);
    const connection = builder.build();
    connection.on('GatewayTrade', (contractId: unknown, data: unknown) => this.deliver(() => this.listener?.onTrade(contractId, data)));
    connection.on('GatewayQuote', (contractId: unknown, data: unknown) => this.deliver(() => this.listener?.onQuote(contractId, data)));
    connection.onreconnecting((error) => this.onReconnecting(connection, error));
    connection.onreconnected(() => this.onReconnected(connection));
    connection.onclose((error) => this.onClosed(connection, error));
    return connection;
  }

  private onReconnecting(connection: HubConnection, error: Error | undefined): void {
    if (this.stopped || connection !== this.connection) return;
    this.options.logger.warn({ reason: error?.message }, 'ProjectX market hub connection lost, reconnecting');
    this.listener?.onLost(error?.message ?? 'connection lost');
    // The URL's access_token was fixed when the connection was built: point reconnects at a current one.
    this.pointAt(connection, this.options.token);
  }

  /** Never null, so the library never gives up (a connection that still closes for good is rebuilt). */
  private retryDelay(ctx: RetryContext): number {
    // A reconnect already failed: the token may be what the hub refuses, so log in afresh for the next one.
    // (Only the current connection ever reconnects: retired ones are stopped first.)
    if (ctx.previousRetryCount >= 1 && this.connection) this.pointAt(this.connection, this.options.renewToken);
    return backoffDelay(ctx.previousRetryCount + 1, this.options.backoff);
  }

  private pointAt(connection: HubConnection, tokenSource: () => Promise<string>): void {
    tokenSource()
      .then((token) => {
        if (connection.state === HubConnectionState.Reconnecting) connection.baseUrl = this.urlWith(token);
      })
      .catch((err: unknown) => this.options.logger.warn({ err }, 'ProjectX token for the hub reconnect unavailable'));
  }

  /** The hub forgets subscriptions with the old connection: subscribe again before reporting connected. */
  private onReconnected(connection: HubConnection): void {
    if (this.stopped || connection !== this.connection) return;
    this.subscribe(connection).then(
      () => {
        this.options.logger.info('ProjectX market hub reconnected and resubscribed');
        this.listener?.onSubscribed();
      },
      (error: unknown) => {
        this.options.logger.warn({ err: error }, 'ProjectX resubscribe failed, rebuilding the connection');
        void connection.stop();
      },
    );
  }

  private onClosed(connection: HubConnection, error: Error | undefined): void {
    if (this.stopped || connection !== this.connection) return;
    this.connection = undefined;
    this.options.logger.warn({ reason: error?.message }, 'ProjectX market hub connection closed, rebuilding it');
    this.listener?.onLost(error?.message ?? 'connection closed');
    this.loop = this.connectLoop();
  }

  private async subscribe(connection: HubConnection): Promise<void> {
    await Promise.all(
      this.contractIds.flatMap((id) => [
        this.invoke(connection, 'SubscribeContractTrades', id),
        this.invoke(connection, 'SubscribeContractQuotes', id),
      ]),
    );
  }

  private async invoke(connection: HubConnection, method: string, contractId: string): Promise<void> {
    const timeoutMs = this.options.invokeTimeoutMs ?? DEFAULT_INVOKE_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${method}(${contractId}) not answered within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([connection.invoke(method, contractId), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A listener that throws must not kill the connection or silence later events. */
  private deliver(handle: () => void): void {
    try {
      handle();
    } catch (error) {
      this.options.logger.error({ err: error }, 'ProjectX market event handler threw');
    }
  }

  private urlWith(token: string): string {
    return `${this.options.url}${this.options.url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(token)}`;
  }
}
