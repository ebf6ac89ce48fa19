// Who receives which message: an inverted index from subscription key to clients, so routing one
// message costs a few map lookups, not a scan of every client's list. A client that never
// subscribed receives everything (the origin's behaviour); its first subscribe narrows it.
import { parseTimeframe, type StreamChannel } from '@barstream/core';

/** What a relayed message is about, computed once per message. */
export interface Route {
  readonly channel: StreamChannel;
  readonly contractId: string;
  /** Bars only: `unit|value` of the bar's timeframe (see timeframeKey). */
  readonly timeframeKey?: string;
}

export type SubscribeOutcome = 'added' | 'already' | 'limit';

/** contract_id of a subscription to every contract of a channel. */
export const ANY_CONTRACT = '*';

export function timeframeKey(unit: number, value: number): string {
  return `${unit}|${value}`;
}

/** The key of a subscription: channel and contract, plus the timeframe for bars of one timeframe. */
function subscriptionKey(channel: StreamChannel, contractId: string, timeframe: string | undefined): string {
  if (timeframe === undefined || channel !== 'bars') return `${channel}|${contractId}|*`;
  const tf = parseTimeframe(timeframe);
  return `${channel}|${contractId}|${timeframeKey(tf.unit, tf.value)}`;
}

export class SubscriptionIndex<C> {
  /** Clients that never subscribed. */
  private readonly firehose = new Set<C>();
  private readonly byKey = new Map<string, Set<C>>();
  /** Keys per client that subscribed at least once (possibly none left). */
  private readonly keysOf = new Map<C, Set<string>>();
  private total = 0;

  constructor(private readonly maxPerClient: number) {}

  /** Subscriptions across all clients. */
  get size(): number {
    return this.total;
  }

  countByChannel(): Record<StreamChannel, number> {
    const counts: Record<StreamChannel, number> = { bars: 0, ticks: 0, signals: 0, smc: 0, alerts: 0, trades: 0 };
    for (const [key, clients] of this.byKey) counts[key.slice(0, key.indexOf('|')) as StreamChannel] += clients.size;
    return counts;
  }

  addClient(client: C): void {
    this.firehose.add(client);
  }

  removeClient(client: C): void {
    this.firehose.delete(client);
    const keys = this.keysOf.get(client);
    if (!keys) return;
    for (const key of keys) this.removeKey(client, key);
    this.keysOf.delete(client);
  }

  /** `timeframe` must already be valid (the protocol schema checks it). */
  subscribe(client: C, channel: StreamChannel, contractId: string, timeframe?: string): SubscribeOutcome {
    const key = subscriptionKey(channel, contractId, timeframe);
    let keys = this.keysOf.get(client);
    if (keys?.has(key)) return 'already';
    if ((keys?.size ?? 0) >= this.maxPerClient) return 'limit';
    if (!keys) {
      keys = new Set();
      this.keysOf.set(client, keys);
      this.firehose.delete(client);
    }
    keys.add(key);
    let clients = this.byKey.get(key);
    if (!clients) {
      clients = new Set();
      this.byKey.set(key, clients);
    }
    clients.add(client);
    this.total++;
    return 'added';
  }

  /** Unsubscribing the last subscription leaves the client with none (it does not widen back). */
  unsubscribe(client: C, channel: StreamChannel, contractId: string, timeframe?: string): boolean {
    const key = subscriptionKey(channel, contractId, timeframe);
    const keys = this.keysOf.get(client);
    if (!keys?.delete(key)) return false;
    this.removeKey(client, key);
    return true;
  }

  /** Visits each client that should receive a message on `route`, once. A subscription with contract_id
   * `*` matches every contract of its channel (and, for bars, of its timeframe when it names one). */
  forEachMatch(route: Route, visit: (client: C) => void): void {
    for (const client of this.firehose) visit(client);
    const sets: Set<C>[] = [];
    const add = (key: string): void => {
      const clients = this.byKey.get(key);
      if (clients !== undefined) sets.push(clients);
    };
    add(`${route.channel}|${route.contractId}|*`);
    if (route.timeframeKey !== undefined) add(`${route.channel}|${route.contractId}|${route.timeframeKey}`);
    if (route.contractId !== ANY_CONTRACT) {
      add(`${route.channel}|${ANY_CONTRACT}|*`);
      if (route.timeframeKey !== undefined) add(`${route.channel}|${ANY_CONTRACT}|${route.timeframeKey}`);
    }
    if (sets.length === 1) {
      for (const client of sets[0]!) visit(client);
      return;
    }
    // A client holding several matching subscriptions (all timeframes and one, one contract and `*`) is visited once.
    const seen = new Set<C>();
    for (const clients of sets) {
      for (const client of clients) {
        if (seen.has(client)) continue;
        seen.add(client);
        visit(client);
      }
    }
  }

  /** Clients that never subscribed, or subscribed to bars or ticks: what a LISTEN outage costs them
   * is refetched from /api/ohlc. Signal-only clients are not among them. */
  forEachWantingResync(visit: (client: C) => void): void {
    for (const client of this.firehose) visit(client);
    for (const [client, keys] of this.keysOf) {
      for (const key of keys) {
        if (key.startsWith('bars|') || key.startsWith('ticks|')) {
          visit(client);
          break;
        }
      }
    }
  }

  private removeKey(client: C, key: string): void {
    const clients = this.byKey.get(key);
    if (!clients?.delete(client)) return;
    this.total--;
    if (clients.size === 0) this.byKey.delete(key);
  }
}
