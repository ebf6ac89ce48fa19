import { describe, expect, it } from 'vitest';
import { type Route, SubscriptionIndex, timeframeKey } from './subscriptions.ts';

function matches(index: SubscriptionIndex<string>, route: Route): string[] {
  const seen: string[] = [];
  index.forEachMatch(route, (c) => seen.push(c));
  return seen.sort();
}

const bar = (contractId: string, unit: number, value: number): Route => ({
  channel: 'bars',
  contractId,
  timeframeKey: timeframeKey(unit, value),
});

describe('SubscriptionIndex', () => {
  it('sends everything to a client until its first subscribe, then only what it subscribed to', () => {
    const index = new SubscriptionIndex<string>(10);
    index.addClient('a');
    expect(matches(index, { channel: 'signals', contractId: 'X' })).toEqual(['a']);
    expect(index.subscribe('a', 'ticks', 'X')).toBe('added');
    expect(matches(index, { channel: 'signals', contractId: 'X' })).toEqual([]);
    expect(matches(index, { channel: 'ticks', contractId: 'X' })).toEqual(['a']);
    expect(matches(index, { channel: 'ticks', contractId: 'Y' })).toEqual([]);
  });

  it('matches contract_id * to every contract of its channel, visiting a client holding both once', () => {
    const index = new SubscriptionIndex<string>(10);
    for (const c of ['all', 'one', 'both', 'other', 'bars5']) index.addClient(c);
    index.subscribe('all', 'alerts', '*');
    index.subscribe('one', 'alerts', 'X');
    index.subscribe('both', 'alerts', '*');
    index.subscribe('both', 'alerts', 'X');
    index.subscribe('other', 'trades', '*');
    index.subscribe('bars5', 'bars', '*', '5m');
    expect(matches(index, { channel: 'alerts', contractId: 'X' })).toEqual(['all', 'both', 'one']);
    expect(matches(index, { channel: 'alerts', contractId: 'Y' })).toEqual(['all', 'both']);
    expect(matches(index, { channel: 'trades', contractId: 'Y' })).toEqual(['other']);
    expect(matches(index, bar('Y', 2, 5))).toEqual(['bars5']);
    expect(matches(index, bar('Y', 2, 1))).toEqual([]);
    index.unsubscribe('both', 'alerts', '*');
    expect(matches(index, { channel: 'alerts', contractId: 'Y' })).toEqual(['all']);
  });

  it('matches bars by timeframe or by contract alone, visiting a client holding both once', () => {
    const index = new SubscriptionIndex<string>(10);
    for (const c of ['five', 'any', 'both']) index.addClient(c);
    index.subscribe('five', 'bars', 'X', '5m');
    index.subscribe('any', 'bars', 'X');
    index.subscribe('both', 'bars', 'X');
    index.subscribe('both', 'bars', 'X', '5m');
    expect(matches(index, bar('X', 2, 5))).toEqual(['any', 'both', 'five']);
    expect(matches(index, bar('X', 2, 1))).toEqual(['any', 'both']);
    expect(matches(index, bar('Y', 2, 5))).toEqual([]);
    // `60m` and `1h` are different timeframes (unit minutes vs hours), as the bars are.
    index.subscribe('five', 'bars', 'X', '1h');
    expect(matches(index, bar('X', 3, 1))).toEqual(['any', 'both', 'five']);
  });

  it('unsubscribing the last subscription leaves nothing; removing a client forgets it everywhere', () => {
    const index = new SubscriptionIndex<string>(10);
    index.addClient('a');
    index.addClient('b');
    index.subscribe('a', 'ticks', 'X');
    index.subscribe('b', 'ticks', 'X');
    expect(index.unsubscribe('a', 'ticks', 'X')).toBe(true);
    expect(index.unsubscribe('a', 'ticks', 'X')).toBe(false);
    expect(matches(index, { channel: 'ticks', contractId: 'X' })).toEqual(['b']);
    expect(matches(index, { channel: 'signals', contractId: 'X' })).toEqual([]);
    index.removeClient('b');
    expect(matches(index, { channel: 'ticks', contractId: 'X' })).toEqual([]);
    expect(index.size).toBe(0);
    expect(index.countByChannel()).toEqual({ bars: 0, ticks: 0, signals: 0, smc: 0, alerts: 0, trades: 0 });
  });

  it('refuses subscriptions past the per-client limit and ignores repeats', () => {
    const index = new SubscriptionIndex<string>(2);
    index.addClient('a');
    expect(index.subscribe('a', 'ticks', 'X')).toBe('added');
    expect(index.subscribe('a', 'ticks', 'X')).toBe('already');
    expect(index.subscribe('a', 'bars', 'X', '1m')).toBe('added');
    expect(index.subscribe('a', 'bars', 'X', '5m')).toBe('limit');
    expect(index.countByChannel()).toEqual({ bars: 1, ticks: 1, signals: 0, smc: 0, alerts: 0, trades: 0 });
  });

  it('resyncs clients on bars or ticks and unsubscribed ones, not signal-only ones', () => {
    const index = new SubscriptionIndex<string>(10);
    for (const c of ['none', 'bars', 'ticks', 'signals', 'emptied']) index.addClient(c);
    index.subscribe('bars', 'bars', 'X', '1m');
    index.subscribe('ticks', 'ticks', 'X');
    index.subscribe('signals', 'signals', 'X');
    index.subscribe('emptied', 'ticks', 'X');
    index.unsubscribe('emptied', 'ticks', 'X');
    const seen: string[] = [];
    index.forEachWantingResync((c) => seen.push(c));
    expect(seen.sort()).toEqual(['bars', 'none', 'ticks']);
  });
});
