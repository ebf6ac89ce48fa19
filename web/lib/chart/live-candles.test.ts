import type { UTCTimestamp } from 'lightweight-charts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Candle } from './candle-merge.ts';
import { LiveCandles } from './live-candles.ts';
import type { LogicalRange } from './visible-range.ts';

const MIN = 60_000;
const T0 = Date.parse('2025-06-02T14:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const wireBar = (ms: number, close: number, closed = true) => ({
  timestamp: iso(ms),
  open: close,
  high: close + 1,
  low: close - 1,
  close,
  volume: 10,
  is_closed: closed,
});

/** A series that behaves like lightweight-charts': update refuses a bar older than its last. */
class FakeSeries {
  candles: Candle[] = [];
  setAlls = 0;
  updates: number[] = [];
  setAll(all: readonly Candle[], _keep: LogicalRange | null): void {
    this.candles = [...all];
    this.setAlls++;
  }
  update(c: Candle): void {
    const last = this.candles.at(-1);
    if (last && c.time < last.time) throw new Error(`Cannot update oldest data, last time=${last.time}, new time=${c.time}`);
    if (last && last.time === c.time) this.candles[this.candles.length - 1] = c;
    else this.candles.push(c);
    this.updates.push(c.time);
  }
  visibleRange(): LogicalRange | null {
    return null;
  }
}

/** Serves /api/ohlc from a list of stored bars, honouring from/to/limit. */
function serve(stored: () => ReturnType<typeof wireBar>[]) {
  const calls: URLSearchParams[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      const q = new URL(url, 'http://x').searchParams;
      calls.push(q);
      const from = Number(q.get('from') ?? -Infinity);
      const to = Number(q.get('to') ?? Infinity);
      const limit = Number(q.get('limit') ?? 2000);
      const bars = stored()
        .filter((b) => Date.parse(b.timestamp) >= from && Date.parse(b.timestamp) <= to)
        .slice(-limit);
      return new Response(JSON.stringify({ contract_id: 'X', timeframe: '1m', bars }), { status: 200 });
    }),
  );
  return calls;
}

function feed(series: FakeSeries, onFirstPainted?: () => void) {
  const frames: (() => void)[] = [];
  const live = new LiveCandles({
    ...(onFirstPainted ? { onFirstPainted } : {}),
    contractId: 'X',
    timeframe: '1m',
    calendar: { name: 'utc', timezone: 'UTC', sessionOpen: '00:00' },
    initialBars: 100,
    sink: series,
    onLoad: () => undefined,
    scheduleFrame: (draw) => frames.push(draw),
  });
  const flush = () => {
    while (frames.length) frames.shift()?.();
  };
  return { live, flush };
}

const settle = () => vi.advanceTimersByTimeAsync(10);
const times = (cs: readonly Candle[]) => cs.map((c) => c.time * 1000);

describe('LiveCandles', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('takes the candles the boot script drew as its first load, asking /api/ohlc only to reload', async () => {
    const calls = serve(() => [wireBar(T0, 100), wireBar(T0 + MIN, 101), wireBar(T0 + 2 * MIN, 102)]);
    const booted: Candle[] = [
      { time: (T0 / 1000) as UTCTimestamp, open: 100, high: 101, low: 99, close: 100, volume: 10 },
      { time: ((T0 + MIN) / 1000) as UTCTimestamp, open: 101, high: 102, low: 100, close: 101, volume: 10 },
    ];
    const series = new FakeSeries();
    const drawnWith: (readonly Candle[])[] = [];
    const setAll = series.setAll.bind(series);
    series.setAll = (all, keep) => {
      drawnWith.push(all);
      setAll(all, keep);
    };
    const painted = vi.fn();
    const live = new LiveCandles({
      contractId: 'X',
      timeframe: '1m',
      calendar: null,
      initialBars: 100,
      initialCandles: booted,
      sink: series,
      onLoad: () => undefined,
      onFirstPainted: painted,
      scheduleFrame: (draw) => draw(),
    });
    live.start();
    await settle();
    expect(calls).toHaveLength(0);
    // The very candle objects: the surface finds them drawn already and does not set them again.
    expect(drawnWith).toHaveLength(1);
    expect(drawnWith[0]?.every((c, i) => c === booted[i])).toBe(true);
    expect(drawnWith[0]).toHaveLength(2);
    expect(painted).toHaveBeenCalledTimes(1);
    live.retry(); // a reload reads the answer as before
    await settle();
    expect(calls).toHaveLength(1);
    expect(times(series.candles)).toEqual([T0, T0 + MIN, T0 + 2 * MIN]);
    live.stop();
  });

  it('draws history, then moves the forming candle with trades, once per frame', async () => {
    serve(() => [wireBar(T0, 100), wireBar(T0 + MIN, 101, false)]);
    const series = new FakeSeries();
    const { live, flush } = feed(series);
    live.start();
    await settle();
    expect(times(series.candles)).toEqual([T0, T0 + MIN]);
    live.receive({ type: 'ticks', contract_id: 'X', ticks: [{ timestamp: iso(T0 + MIN + 5_000), price: 103, volume: 1, side: 'buy' }] });
    live.receive({ type: 'ticks', contract_id: 'X', ticks: [{ timestamp: iso(T0 + MIN + 6_000), price: 104, volume: 1, side: 'buy' }] });
    expect(series.updates).toEqual([]); // nothing drawn until the frame
    flush();
    expect(series.updates).toEqual([(T0 + MIN) / 1000]);
    expect(series.candles.at(-1)).toMatchObject({ close: 104, high: 104 });
  });

  it('keeps a closed last bar as the ingester stored it: a late trade does not move it', async () => {
    serve(() => [wireBar(T0, 100), wireBar(T0 + MIN, 101, false)]);
    const series = new FakeSeries();
    const { live, flush } = feed(series);
    live.start();
    await settle();
    const tick = (ms: number, price: number) => ({
      type: 'ticks',
      contract_id: 'X',
      ticks: [{ timestamp: iso(ms), price, volume: 1, side: 'buy' }],
    });
    live.receive(tick(T0 + MIN + 5_000, 103));
    flush();
    expect(series.candles.at(-1)).toMatchObject({ close: 103 });
    // The minute closes with no next trade yet (a pause): its bar comes closed, then a late trade of it.
    const closedBar = { type: 'ohlc', contract_id: 'X', timestamp: iso(T0 + MIN), open: 101, high: 103, low: 100, close: 103, volume: 12 };
    live.receive({ ...closedBar, timeframe_unit: 2, timeframe_value: 1, is_closed: true });
    live.receive(tick(T0 + MIN + 59_000, 150));
    flush();
    expect(series.candles.at(-1)).toMatchObject({ time: (T0 + MIN) / 1000, close: 103, high: 103 });
    // The next minute's first trade opens the next candle as before.
    live.receive(tick(T0 + 2 * MIN + 1, 104));
    flush();
    expect(series.candles.at(-1)).toMatchObject({ time: (T0 + 2 * MIN) / 1000, close: 104 });
  });

  it('a closed last bar from history takes no late trade either', async () => {
    serve(() => [wireBar(T0, 100), wireBar(T0 + MIN, 101)]);
    const series = new FakeSeries();
    const { live, flush } = feed(series);
    live.start();
    await settle();
    live.receive({ type: 'ticks', contract_id: 'X', ticks: [{ timestamp: iso(T0 + MIN + 30_000), price: 150, volume: 1, side: 'buy' }] });
    flush();
    expect(series.updates).toEqual([]);
    expect(series.candles.at(-1)).toMatchObject({ close: 101, high: 102 });
  });

  it('redraws a changed older bar through setData, never through update', async () => {
    serve(() => [wireBar(T0, 100), wireBar(T0 + MIN, 101)]);
    const series = new FakeSeries();
    const { live, flush } = feed(series);
    live.start();
    await settle();
    live.receive({ type: 'ticks', contract_id: 'X', ticks: [{ timestamp: iso(T0 + 2 * MIN + 1), price: 102, volume: 1, side: 'buy' }] });
    flush();
    const setAlls = series.setAlls;
    // The bar of T0 + 1 min closes (final numbers) after the next minute's candle opened.
    live.receive({
      type: 'ohlc',
      contract_id: 'X',
      timestamp: iso(T0 + MIN),
      open: 101,
      high: 105,
      low: 100,
      close: 104,
      volume: 12,
      timeframe_unit: 2,
      timeframe_value: 1,
      is_closed: true,
    });
    flush();
    expect(series.updates.every((t) => t >= (T0 + 2 * MIN) / 1000)).toBe(true);
    await vi.advanceTimersByTimeAsync(300);
    expect(series.setAlls).toBe(setAlls + 1);
    expect(series.candles[1]).toMatchObject({ close: 104, high: 105 });
    expect(live.events.repaints).toBe(1);
  });

  it('refetches when a bar older than the chart is not on it, and merges it in', async () => {
    let stored = [wireBar(T0, 100), wireBar(T0 + 2 * MIN, 102, false)];
    const calls = serve(() => stored);
    const series = new FakeSeries();
    const { live, flush } = feed(series);
    live.start();
    await settle();
    stored = [wireBar(T0, 100), wireBar(T0 + MIN, 101), wireBar(T0 + 2 * MIN, 102, false)];
    live.receive({
      type: 'ohlc',
      contract_id: 'X',
      timestamp: iso(T0 + MIN),
      open: 101,
      high: 102,
      low: 100,
      close: 101,
      volume: 10,
      timeframe_unit: 2,
      timeframe_value: 1,
      is_closed: true,
    });
    await settle();
    flush();
    expect(calls.at(-1)?.get('from')).toBe(String(T0 + MIN));
    expect(times(series.candles)).toEqual([T0, T0 + MIN, T0 + 2 * MIN]);
  });

  it('after a reconnect fills exactly the missed bars, without duplicates, keeping the newer forming candle', async () => {
    let stored = [wireBar(T0, 100), wireBar(T0 + MIN, 101, false)];
    const calls = serve(() => stored);
    const series = new FakeSeries();
    const { live, flush } = feed(series);
    live.start();
    await settle();
    const downSince = T0 + MIN + 30_000;
    stored = [0, 1, 2, 3, 4].map((i) => wireBar(T0 + i * MIN, 100 + i, i < 4));
    // A trade of the newest minute arrived on the new connection before the refetch answered.
    live.receive({ type: 'ticks', contract_id: 'X', ticks: [{ timestamp: iso(T0 + 5 * MIN + 1), price: 110, volume: 1, side: 'sell' }] });
    flush();
    live.connected(downSince);
    await settle();
    flush();
    // From a minute before the connection was lost: the bar forming then may have changed since.
    expect(calls.at(-1)?.get('from')).toBe(String(downSince - 60_000));
    expect(times(series.candles)).toEqual([0, 1, 2, 3, 4, 5].map((i) => T0 + i * MIN));
    expect(live.events.gapFills).toBe(1);
    expect(live.events.reloads).toBe(0);
  });

  it('on a resync refetches from the time the broadcaster names', async () => {
    let stored = [wireBar(T0, 100)];
    const calls = serve(() => stored);
    const series = new FakeSeries();
    const { live, flush } = feed(series);
    live.start();
    await settle();
    stored = [wireBar(T0, 100), wireBar(T0 + MIN, 101), wireBar(T0 + 2 * MIN, 102, false)];
    live.resync(T0 - MIN);
    await settle();
    flush();
    expect(calls.at(-1)?.get('from')).toBe(String(T0 - MIN));
    expect(times(series.candles)).toEqual([T0, T0 + MIN, T0 + 2 * MIN]);
  });

  it('pages back: older bars merged before the oldest, then no more once history is exhausted', async () => {
    const all = Array.from({ length: 150 }, (_, i) => wireBar(T0 + i * MIN, 100 + i));
    const calls = serve(() => all);
    const series = new FakeSeries();
    const { live } = feed(series);
    live.start();
    await settle();
    expect(series.candles).toHaveLength(100);
    await live.loadOlder();
    expect(calls.at(-1)?.get('to')).toBe(String(T0 + 50 * MIN));
    expect(times(series.candles)).toEqual(all.map((b) => Date.parse(b.timestamp)));
    const requests = calls.length;
    await live.loadOlder();
    expect(calls.length).toBe(requests);
  });

  it('ignores bars of other timeframes and other contracts', async () => {
    serve(() => [wireBar(T0, 100)]);
    const series = new FakeSeries();
    const { live, flush } = feed(series);
    live.start();
    await settle();
    const bar = { type: 'ohlc', timestamp: iso(T0 + MIN), open: 1, high: 2, low: 1, close: 2, volume: 1, is_closed: false };
    live.receive({ ...bar, contract_id: 'X', timeframe_unit: 2, timeframe_value: 5 });
    live.receive({ ...bar, contract_id: 'Y', timeframe_unit: 2, timeframe_value: 1 });
    flush();
    expect(live.store.count).toBe(1);
    live.receive({ ...bar, contract_id: 'X', timeframe_unit: 2, timeframe_value: 1 });
    flush();
    expect(times(series.candles)).toEqual([T0, T0 + MIN]);
    expect(series.candles.map((c) => c.time)).toEqual([T0 / 1000, (T0 + MIN) / 1000] as UTCTimestamp[]);
  });

  it('tells once that the first candles are on screen: in a task after the frame that drew them', async () => {
    serve(() => [wireBar(T0 + MIN, 101), wireBar(T0, 100)]); // out of order: sorted on the way in
    const series = new FakeSeries();
    const painted = vi.fn(() => series.candles.length);
    const { live, flush } = feed(series, painted);
    live.start();
    await settle();
    expect(times(series.candles)).toEqual([T0, T0 + MIN]);
    expect(painted).not.toHaveBeenCalled(); // drawn, but the frame has not run
    flush();
    expect(painted).not.toHaveBeenCalled(); // the frame ran; the overlays go in the task after it
    await settle();
    expect(painted).toHaveBeenCalledTimes(1);
    live.retry(); // a later load does not tell again
    await settle();
    flush();
    await settle();
    expect(painted).toHaveBeenCalledTimes(1);
  });

  it('tells at once when the first load fails, so overlays are not held for ever', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('{}', { status: 503 })),
    );
    const painted = vi.fn();
    const { live } = feed(new FakeSeries(), painted);
    live.start();
    await settle();
    expect(painted).toHaveBeenCalledTimes(1);
    live.stop();
  });
});
