import { afterEach, describe, expect, it, vi } from 'vitest';
import { SmcLayer } from './smc-layer.ts';

const T = '2025-06-02T14:00:00.000Z';
const zone = (top: number) => ({
  study_id: 's',
  study: 'fvg',
  bar_time: T,
  bar_index: 1,
  side: 1,
  top,
  bottom: 1,
  end_time: null,
  end_index: null,
  mitigated_time: null,
  mitigated_index: null,
  volume: null,
  percentage: null,
  confirmed: false,
});
const update = (over: Record<string, unknown> = {}) => ({
  type: 'smc_update',
  study_id: 's',
  contract_id: 'C.A',
  timeframe: '5m',
  through: T,
  from: T,
  events: 0,
  zones: 1,
  ...over,
});

/** fetch answering /api/smc/* with the zones `answers` give in turn; each answer waits for its `release`. */
function stubFetch(answers: { top: number; release: Promise<void> }[]) {
  const urls: string[] = [];
  let zoneCalls = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      urls.push(url);
      const path = new URL(url, 'http://x').pathname;
      if (path === '/api/smc/events') return new Response(JSON.stringify({ contract_id: 'C.A', timeframe: '5m', events: [] }));
      const answer = answers[zoneCalls++];
      if (!answer) throw new Error('unexpected fetch');
      await answer.release;
      return new Response(JSON.stringify({ contract_id: 'C.A', timeframe: '5m', zones: [zone(answer.top)] }));
    }),
  );
  return urls;
}

const layer = () => new SmcLayer({ contractId: 'C.A', timeframe: '5m', candleTimes: () => [] });

describe('SmcLayer', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('re-reads from the payload’s bar on an smc_update for its chart, and ignores others', async () => {
    const urls = stubFetch([{ top: 5, release: Promise.resolve() }]);
    const smc = layer();
    smc.receive(update({ contract_id: 'C.B' }));
    smc.receive(update({ timeframe: '1h' }));
    smc.receive(update({ from: 'yesterday' }));
    smc.receive({ type: 'smc_update' });
    expect(urls).toEqual([]);
    smc.receive(update());
    await vi.waitFor(() => expect(smc.loads).toBe(1));
    expect(urls.map((u) => new URL(u, 'http://x').searchParams.get('from'))).toEqual([String(Date.parse(T)), String(Date.parse(T))]);
    expect([...smc.zones.values()].map((z) => z.top)).toEqual([5]);
  });

  it('applies loads in the order they were asked for, however the answers arrive', async () => {
    let releaseFirst = (): void => undefined;
    const first = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    stubFetch([
      { top: 5, release: first },
      { top: 9, release: Promise.resolve() },
    ]);
    const smc = layer();
    const a = smc.load();
    const b = smc.load({ from: Date.parse(T) });
    releaseFirst();
    await Promise.all([a, b]);
    expect([...smc.zones.values()].map((z) => z.top)).toEqual([9]);
  });
});
