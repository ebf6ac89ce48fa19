// ProjectX (TopstepX) Gateway as a MarketDataProvider: live trades/quotes from the market hub, history over REST.
import { ConfigError, TimeframeUnit, type BackoffOptions, type ContractSettings, type OhlcBar, type Timeframe } from '@barstream/core';
import type { Logger } from '@barstream/core/node';
import type { MarketDataProvider, ProviderSink } from '../provider.ts';
import type { FetchFn } from './projectx-http.ts';
import { ProjectXMarketEvents } from './projectx-market-events.ts';
import { ProjectXMarketHub } from './projectx-market-hub.ts';
import { ProjectXRestClient } from './projectx-rest-client.ts';
import type { RateLimit } from './rate-limiter.ts';

export interface ProjectXProviderOptions {
  readonly apiUrl: string;
  readonly marketHubUrl: string;
  readonly username: string | undefined;
  readonly apiKey: string | undefined;
  readonly contractIds: readonly string[];
  readonly live: boolean;
  readonly tokenRefreshMs: number;
  readonly logger: Logger;
  /** Injectable for tests; the global fetch otherwise. */
  readonly fetch?: FetchFn;
  /** Tuning, mostly for tests: retry pacing, client-side rate limit, bars per history call, hub timeouts. */
  readonly backoff?: BackoffOptions;
  readonly rateLimit?: RateLimit;
  readonly barsPageLimit?: number;
  readonly hubServerTimeoutMs?: number;
  readonly hubKeepAliveMs?: number;
}

export class ProjectXProvider implements MarketDataProvider {
  readonly name = 'projectx';
  readonly historyTimeframe: Timeframe = { unit: TimeframeUnit.minute, value: 1 };
  readonly client: ProjectXRestClient;
  readonly hub: ProjectXMarketHub;
  private started = false;
  private connected: boolean | undefined;

  constructor(options: ProjectXProviderOptions) {
    const missing = [
      ...(options.username ? [] : ['PROJECTX_USERNAME (providers.projectx.username)']),
      ...(options.apiKey ? [] : ['PROJECTX_API_KEY (providers.projectx.api_key)']),
    ];
    if (missing.length > 0) throw new ConfigError(`the projectx provider needs ${missing.join(' and ')}`);
    if (options.contractIds.length === 0) throw new ConfigError('the projectx provider needs at least one contract in ingester.contracts');
    const logger = options.logger.child({ provider: 'projectx' });
    this.client = new ProjectXRestClient({
      apiUrl: options.apiUrl,
      username: options.username as string,
      apiKey: options.apiKey as string,
      live: options.live,
      tokenRefreshMs: options.tokenRefreshMs,
      logger,
      fetch: options.fetch,
      backoff: options.backoff,
      rateLimit: options.rateLimit,
      barsPageLimit: options.barsPageLimit,
    });
    this.hub = new ProjectXMarketHub({
      url: options.marketHubUrl,
      contractIds: options.contractIds,
      token: () => this.client.freshToken(),
      renewToken: () => this.client.renewToken(),
      logger,
      backoff: options.backoff,
      serverTimeoutMs: options.hubServerTimeoutMs,
      keepAliveMs: options.hubKeepAliveMs,
    });
  }

  /** Logs in (bad credentials fail here, loudly), then connects the hub in the background. */
  async start(sink: ProviderSink): Promise<void> {
    if (this.started) return;
    await this.client.login();
    this.started = true;
    const events = new ProjectXMarketEvents(sink);
    this.hub.start({
      onTrade: (contractId, data) => events.onTrade(contractId, data),
      onQuote: (contractId, data) => events.onQuote(contractId, data),
      onSubscribed: () => this.report(sink, true),
      onLost: () => this.report(sink, false),
    });
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.hub.stop();
    this.connected = undefined;
  }

  addContract(contract: ContractSettings): Promise<void> {
    return this.hub.addContract(contract.id);
  }

  removeContract(contractId: string): Promise<void> {
    return this.hub.removeContract(contractId);
  }

  /** ProjectX units are our TimeframeUnit numbers, so the timeframe passes through unchanged. */
  fetchBars(contractId: string, timeframe: Timeframe, fromMs: number, toMs: number, signal?: AbortSignal): Promise<OhlcBar[]> {
    return this.client.retrieveBars(contractId, timeframe, fromMs, toMs, { signal });
  }

  /** One true per (re)connect once subscribed, one false per loss: repeats of the same state are dropped. */
  private report(sink: ProviderSink, connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    sink.onConnectionChange(connected);
  }
}
