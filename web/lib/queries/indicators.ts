// Indicator series over stored bars: the bars /api/ohlc would return for the range, computed after
// an exact warm-up window read just before them (see indicators/indicator-window.ts).
import 'server-only';
import { formatTimeframe, getIndicatorDefinition, type OhlcBar } from '@barstream/core';
import type { IndicatorsResponse } from '../api/response-schemas.ts';
import type { IndicatorsQuery } from '../api/routes.ts';
import { computeOverWindow, warmupForNames } from '../indicators/indicator-window.ts';
import { requireConfiguredTimeframe } from './contracts.ts';
import { isoFromEpochMs } from './iso-time.ts';
import { newestBars, requireContractIfEmpty, type StoredBar } from './ohlc.ts';

const toOhlcBar = (b: StoredBar): OhlcBar => ({ time: b.time, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume });

export async function indicators(q: IndicatorsQuery): Promise<IndicatorsResponse> {
  requireConfiguredTimeframe(q.timeframe);
  const range = await newestBars(q);
  await requireContractIfEmpty(q.contractId, range);
  const first = range[0];
  const warmup = warmupForNames(q.names);
  const before = first && warmup > 0 ? await newestBars({ ...q, from: undefined, to: new Date(first.time - 1), limit: warmup }) : [];
  const bars = [...before, ...range].map(toOhlcBar);
  const stamps = range.map((b) => isoFromEpochMs(b.time));
  return {
    contract_id: q.contractId,
    timeframe: formatTimeframe(q.timeframe),
    indicators: q.names.map((name) => {
      const points = computeOverWindow(name, bars, range.length);
      return {
        name,
        warmup_bars: getIndicatorDefinition(name).warmupBars,
        points: points.map((p, i) => ({ timestamp: stamps[i] as string, value: p.value })),
      };
    }),
  };
}
