import { afterEach, describe, expect, it, vi } from 'vitest';
import { IndicatorLines, type LinePoint } from './indicator-lines.ts';

const T0 = Date.parse('2025-06-02T14:00:00Z');
const point = (i: number, value: number | null) => ({ timestamp: new Date(T0 + i * 60_000).toISOString(), value });

function serve(values: () => (number | null)[]) {
  const urls: URLSearchParams[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      const q = new URL(url, 'http://x').searchParams;
      urls.push(q);
      const from = Number(q.get('from') ?? -Infinity);
      const points = values()
        .map((v, i) => point(i, v))
        .filter((p) => Date.parse(p.timestamp) >= from);
      return new Response(JSON.stringify({ contract_id: 'X', timeframe: '1m', indicators: [{ name: 'ema_20', warmup_bars: 20, points }] }));
    }),
  );
  return urls;
}

function sink() {
  const calls: string[] = [];
  return {
    calls,
    setLine: (name: string, points: readonly LinePoint[]) => calls.push(`set ${name} ${points.length}`),
    updateLine: (name: string, p: LinePoint) => calls.push(`update ${name} ${(p.time * 1000 - T0) / 60_000}=${p.value}`),
  };
}

describe('IndicatorLines', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('draws the loaded line without its warm-up, then extends it at the tail with updates', async () => {
    let values: (number | null)[] = [null, 1, 2];
    const urls = serve(() => values);
    const s = sink();
    const lines = new IndicatorLines({ contractId: 'X', timeframe: '1m', names: ['ema_20'], sink: s });
    await lines.load(100);
    expect(s.calls).toEqual(['set ema_20 2']);
    values = [null, 1, 2.5, 3];
    await lines.fill(T0 + 2 * 60_000);
    expect(urls.at(-1)?.get('from')).toBe(String(T0 + 2 * 60_000));
    expect(s.calls.slice(1)).toEqual(['update ema_20 2=2.5', 'update ema_20 3=3']);
    expect(lines.pointCounts()).toEqual({ ema_20: 3 });
  });

  it('redraws the whole line when a value before the last one changed', async () => {
    let values: (number | null)[] = [1, 2, 3];
    serve(() => values);
    const s = sink();
    const lines = new IndicatorLines({ contractId: 'X', timeframe: '1m', names: ['ema_20'], sink: s });
    await lines.load(100);
    values = [1, 2.2, 3];
    await lines.fill(T0);
    expect(s.calls).toEqual(['set ema_20 3', 'set ema_20 3']);
  });

  it('keeps drawing when the API fails (the overlays are optional)', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('network down');
      }),
    );
    const s = sink();
    await new IndicatorLines({ contractId: 'X', timeframe: '1m', names: ['ema_20'], sink: s }).load(100);
    expect(s.calls).toEqual([]);
  });
});
