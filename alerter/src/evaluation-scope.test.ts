import { describe, expect, it } from 'vitest';
import { parseRuleFile } from '@barstream/core';
import { parseSettings } from '@barstream/core/node';
import { evaluationScope } from './evaluation-scope.ts';
import { triggerTimeOf } from './signal-trigger.ts';

const settings = parseSettings({
  contracts: [
    { id: 'A', provider: 'simulated', symbol: 'A', tick_size: 0.25, session_calendar: 'utc' },
    { id: 'B', provider: 'simulated', symbol: 'B', tick_size: 0.25, session_calendar: 'utc' },
  ],
  ingester: { contracts: ['A', 'B'], timeframes: ['1m', '5m', '1h', '1d'] },
  analyzer: { targets: [{ analyzer_id: 'trend', strategy: 'cus_cds_trend_finder', contract_id: 'A', timeframes: ['5m', '1h', '1d'] }] },
});

describe('evaluationScope', () => {
  it('takes the watched contracts the rules name, their timeframes (confluence higher and 1d included) and the analyzer targets on them', () => {
    const rules = parseRuleFile(
      [
        { name: 'x', rule_type: 'volume_spike', multiple: 2, contracts: ['A', 'C'], timeframes: ['1m', '1d'] },
        {
          name: 'y',
          rule_type: 'confluence',
          contracts: 'watchlist',
          timeframes: ['5m'],
          higher: { timeframe: '1h', analyzer_id: 'trend', within_bars: 3 },
          trigger: { analyzer_id: 'trend', within_bars: 3 },
        },
      ],
      'test.yaml',
    );
    const scope = evaluationScope(rules, ['A'], settings);
    expect(scope.contracts).toEqual(['A']);
    expect(scope.series.map((s) => `${s.contractId} ${s.timeframe} ${s.lengthMs}`).sort()).toEqual([
      'A 1d 86400000',
      'A 1h 3600000',
      'A 1m 60000',
      'A 5m 300000',
    ]);
    expect(scope.targets.map((t) => `${t.analyzerId} ${t.timeframe}`)).toEqual(['trend 5m', 'trend 1h', 'trend 1d']);
  });

  it("closes 1d bars at their session calendar's bucket end, intraday ones after their length", () => {
    const rules = parseRuleFile(
      [{ name: 'x', rule_type: 'volume_spike', multiple: 2, contracts: ['A'], timeframes: ['1m', '1d'] }],
      'test.yaml',
    );
    const scope = evaluationScope(rules, ['A'], settings);
    // A daily series is quiet only after a weekend's worth (its longest bar, 1 + 2 days) without a bar.
    expect(scope.series.map((s) => `${s.timeframe} ${s.quietAfterMs}`)).toEqual(['1m 60000', `1d ${3 * 86_400_000}`]);
    const day = Date.parse('2025-03-03T00:00:00Z'); // a Monday's trade date (UTC calendar: 00:00–24:00)
    expect(scope.closeTimeOf('1d', day, 'A')).toBe(Date.parse('2025-03-04T00:00:00Z'));
    expect(scope.nextCloseOf('1d', day, 'A')).toBe(Date.parse('2025-03-05T00:00:00Z'));
    expect(scope.closeTimeOf('1m', day, 'A')).toBe(day + 60_000);
    expect(scope.nextCloseOf('1m', day, 'A')).toBe(day + 120_000);
  });
});

describe('triggerTimeOf', () => {
  it("reads details.trigger_time (the analyzer's trigger bar) before the row's insert time", () => {
    expect(triggerTimeOf({ trigger_time: '2025-03-03T00:05:00.000Z' }, '2026-12-05T17:01:32.718Z')).toBe(
      Date.parse('2025-03-03T00:05:00Z'),
    );
    expect(triggerTimeOf({}, '2026-12-05T17:01:32.718Z')).toBe(Date.parse('2026-12-05T17:01:32.718Z'));
    expect(triggerTimeOf({ trigger_time: 'soon' }, '2026-12-05T17:01:32.718Z')).toBe(Date.parse('2026-12-05T17:01:32.718Z'));
  });
});
