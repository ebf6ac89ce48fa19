// A client's subscriptions: none means everything (as the origin's broadcaster did).
import { parseTimeframe, type StreamChannel } from '@barstream/core';

export interface Routable {
  readonly channel: StreamChannel;
  readonly contractId: string;
  /** For bars: unit|value of the bar's timeframe. */
  readonly timeframeKey?: string;
}

export class Subscriptions {
  private readonly keys = new Set<string>();

  get size(): number {
    return this.keys.size;
  }

  add(channel: StreamChannel, contractId: string, timeframe?: string): void {
    this.keys.add(key(channel, contractId, timeframe));
  }

  remove(channel: StreamChannel, contractId: string, timeframe?: string): boolean {
    return this.keys.delete(key(channel, contractId, timeframe));
  }

  matches(m: Routable): boolean {
    if (this.keys.size === 0) return true;
    if (this.keys.has(`${m.channel}|${m.contractId}|*`)) return true;
    return m.timeframeKey !== undefined && this.keys.has(`${m.channel}|${m.contractId}|${m.timeframeKey}`);
  }
}

function key(channel: StreamChannel, contractId: string, timeframe?: string): string {
  if (timeframe === undefined || channel !== 'bars') return `${channel}|${contractId}|*`;
  const tf = parseTimeframe(timeframe);
  return `${channel}|${contractId}|${tf.unit}|${tf.value}`;
}

export function timeframeKey(unit: number, value: number): string {
  return `${unit}|${value}`;
}
