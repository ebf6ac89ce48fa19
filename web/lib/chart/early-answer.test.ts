import { afterEach, describe, expect, it, vi } from 'vitest';
import { barsPath, fetchBars } from './chart-api.ts';
import { earlyFetchScript, takeEarlyAnswer } from './early-answer.ts';

const BARS = {
  contract_id: 'SIM.MES',
  timeframe: '1m',
  bars: [{ timestamp: '2025-06-02T14:00:00.000Z', open: 1, high: 2, low: 0.5, close: 1.5, volume: 3, is_closed: true }],
};

/** A page's window and fetch: records what is fetched, answers BARS. */
function browserStubs(): string[] {
  const fetched: string[] = [];
  vi.stubGlobal('window', {});
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string) => {
      fetched.push(url);
      return Promise.resolve(new Response(JSON.stringify(BARS), { status: 200 }));
    }),
  );
  return fetched;
}

/** Runs the inline script as the HTML parser would (in the page's global scope). */
const runInline = (script: string): void => {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the script under test is text, as in the HTML
  const run = new Function(script) as () => void;
  run();
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the early bars request', () => {
  it('starts at once, and the chart takes its answer instead of asking again', async () => {
    const fetched = browserStubs();
    const path = barsPath('SIM.MES', '1m', { limit: 5_000 });
    runInline(earlyFetchScript(path));
    expect(fetched).toEqual([path]);
    const onArrived = vi.fn();
    expect(await fetchBars('SIM.MES', '1m', { limit: 5_000 }, { onArrived })).toEqual({
      contract_id: 'SIM.MES',
      timeframe: '1m',
      candles: [{ time: Date.parse('2025-06-02T14:00:00.000Z') / 1000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 }],
      lastClosed: true,
    });
    expect(onArrived).toHaveBeenCalledOnce();
    expect(fetched).toEqual([path]); // not asked twice
  });

  it('is taken once: a later chart (a remount, a client-side navigation) fetches for itself', async () => {
    const fetched = browserStubs();
    const path = barsPath('SIM.MES', '1m', { limit: 5_000 });
    runInline(earlyFetchScript(path));
    expect(takeEarlyAnswer(path)).toBeDefined();
    expect(takeEarlyAnswer(path)).toBeUndefined();
    await fetchBars('SIM.MES', '1m', { limit: 5_000 });
    expect(fetched).toEqual([path, path]);
  });

  it('is only used for the very request it made', async () => {
    const fetched = browserStubs();
    runInline(earlyFetchScript(barsPath('SIM.MES', '1m', { limit: 5_000 })));
    await fetchBars('SIM.MES', '1m', { limit: 10_000 });
    expect(fetched).toEqual([barsPath('SIM.MES', '1m', { limit: 5_000 }), barsPath('SIM.MES', '1m', { limit: 10_000 })]);
  });

  it('reports a failed early request as the chart reports any unreachable server', async () => {
    vi.stubGlobal('window', {});
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('network down')));
    runInline(earlyFetchScript(barsPath('SIM.MES', '1m', { limit: 100 })));
    await expect(fetchBars('SIM.MES', '1m', { limit: 100 })).rejects.toThrow('Cannot reach the server (/api/ohlc).');
  });

  it('hands over an error answer as the chart reads any: the API error, or the status of a non-JSON page', async () => {
    const answers = [
      new Response(JSON.stringify({ error: { code: 'not_found', message: 'no such contract' } }), { status: 404 }),
      new Response('<html>Bad gateway</html>', { status: 502 }),
    ];
    vi.stubGlobal('window', {});
    vi.stubGlobal('fetch', () => Promise.resolve(answers.shift()));
    runInline(earlyFetchScript(barsPath('SIM.MES', '1m', { limit: 100 })));
    await expect(fetchBars('SIM.MES', '1m', { limit: 100 })).rejects.toThrow('/api/ohlc failed: no such contract');
    runInline(earlyFetchScript(barsPath('SIM.MES', '1m', { limit: 100 })));
    await expect(fetchBars('SIM.MES', '1m', { limit: 100 })).rejects.toThrow('/api/ohlc failed: HTTP 502');
  });

  it('cannot close its <script> element whatever the path holds', () => {
    const script = earlyFetchScript('/api/ohlc?contract_id=</script><script>alert(1)</script>&x=\u2028');
    expect(script).not.toMatch(/<\/script|<!--|\u2028/i);
  });
});
