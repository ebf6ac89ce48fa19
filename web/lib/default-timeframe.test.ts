import { describe, expect, it } from 'vitest';
import { defaultTimeframe } from './default-timeframe.ts';

const target = (analyzer_id: string, contract_id: string, timeframes: string[]) => ({
  analyzer_id,
  strategy: analyzer_id,
  contract_id,
  timeframes,
  params: {},
});

const settings = (timeframes: string[], targets: ReturnType<typeof target>[]) =>
  ({ ingester: { timeframes }, analyzer: { targets } }) as unknown as Parameters<typeof defaultTimeframe>[0];

describe('defaultTimeframe', () => {
  it('opens on the finest stored timeframe the trend finder analyses for the contract', () => {
    const s = settings(
      ['1m', '5m', '15m', '1h'],
      [
        target('cus_cds_trend_finder', 'SIM.MES', ['1h', '15m', '5m']),
        target('ema_cross', 'SIM.MES', ['1m']),
        target('cus_cds_trend_finder', 'SIM.MNQ', ['1h']),
      ],
    );
    expect(defaultTimeframe(s, 'SIM.MES')).toBe('5m');
    expect(defaultTimeframe(s, 'SIM.MNQ')).toBe('1h');
  });

  it('skips analysed timeframes that are not stored, and falls back to the first stored one', () => {
    const s = settings(['1s', '1m'], [target('cus_cds_trend_finder', 'SIM.MES', ['5m'])]);
    expect(defaultTimeframe(s, 'SIM.MES')).toBe('1s');
    expect(defaultTimeframe(settings([], []), 'X')).toBe('1m');
  });
});
