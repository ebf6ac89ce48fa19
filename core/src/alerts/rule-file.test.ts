import { describe, expect, it } from 'vitest';
import { RuleError } from './rule-error.ts';
import { parseRuleFile, parseRuleFiles } from './rule-file.ts';

const SOURCE = 'config/rules/test.yaml';
const base = { name: 'r1', contracts: ['SIM.MES'], timeframes: ['5m'] };

/** The RuleError's lines for one file's content. */
function errorLines(raw: unknown): string[] {
  try {
    parseRuleFile(raw, SOURCE);
  } catch (err) {
    expect(err).toBeInstanceOf(RuleError);
    return (err as RuleError).message.split('\n');
  }
  throw new Error('expected a RuleError');
}

describe('rule files', () => {
  it('parses one rule of each type with its defaults', () => {
    const parsed = parseRuleFile(
      [
        { ...base, name: 'sig', rule_type: 'signal', analyzer_id: 'cus_cds_trend_finder' },
        { ...base, name: 'cross', rule_type: 'price_cross', level: 'ema_200', direction: 'up', cooldown: '3 bars' },
        { ...base, name: 'rsi', rule_type: 'indicator', condition: { compare: { left: 'rsi_14', op: '<', right: 30 } } },
        {
          ...base,
          name: 'conf',
          rule_type: 'confluence',
          higher: { timeframe: '1h', analyzer_id: 'cus_cds_trend_finder', within_bars: 12 },
          trigger: { analyzer_id: 'cus_cds_trend_finder', within_bars: 3 },
        },
        { ...base, name: 'vol', contracts: 'watchlist', rule_type: 'volume_spike', multiple: 3, dedupe_window: '1h' },
      ],
      SOURCE,
    );
    expect(parsed.map((r) => r.rule_type)).toEqual(['signal', 'price_cross', 'indicator', 'confluence', 'volume_spike']);
    expect(parsed[0]).toMatchObject({
      severity: 'info',
      priority: 0,
      is_active: true,
      description: '',
      risk: { atr: 'atr_14', stop_atr: 1.5, target_atr: 3 },
    });
    expect(parsed[1]).toMatchObject({ cooldown: { bars: 3 }, level: { kind: 'indicator', indicator: 'ema_200' } });
    expect(parsed[3]).toMatchObject({ higher: { up_types: ['uptrend_start'], down_types: ['downtrend_start'] } });
    expect(parsed[4]).toMatchObject({ contracts: 'watchlist', period: 20, dedupe_window: 3_600_000 });
  });

  it('reads a cooldown as bars or a duration and a window with its defaults', () => {
    const [r] = parseRuleFile(
      [
        {
          ...base,
          rule_type: 'signal',
          analyzer_id: 'a',
          cooldown: '15m',
          window: { timezone: 'America/Chicago', ranges: ['22:00-02:00'] },
        },
      ],
      SOURCE,
    );
    expect(r).toMatchObject({
      cooldown: { ms: 900_000 },
      window: { ranges: [{ start: 1320, end: 120 }], weekdays: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
    });
  });

  it('names file, rule and key path of each problem, every problem at once', () => {
    expect(
      errorLines([
        { ...base, rule_type: 'signl', analyzer_id: 'a' },
        { ...base, name: 'bad-op', rule_type: 'indicator', condition: { compare: { left: 'rsi_14', op: '=<', right: 30 } } },
        { ...base, name: 'bad-cooldown', rule_type: 'signal', analyzer_id: 'a', cooldown: '3 candles', severity: 'urgent' },
      ]),
    ).toEqual([
      `${SOURCE}: rule "r1" (rules[0]): rule_type: expected one of signal, price_cross, indicator, confluence, volume_spike; got "signl"; did you mean 'signal'?`,
      `${SOURCE}: rule "bad-op" (rules[1]): condition.compare.op: expected one of <, <=, >, >=, got "=<"`,
      `${SOURCE}: rule "bad-cooldown" (rules[2]): severity: expected one of info, warning, critical, got "urgent"`,
      `${SOURCE}: rule "bad-cooldown" (rules[2]): cooldown: expected a cooldown like "3 bars" or 15m, got "3 candles"`,
    ]);
  });

  it('names an unknown indicator, a missing component and an unknown condition', () => {
    expect(errorLines([{ ...base, rule_type: 'price_cross', level: 'ema_x' }])[0]).toMatch(
      /^config\/rules\/test\.yaml: rule "r1" \(rules\[0\]\): level: expected a number, one of open, high, low, close, volume, or an indicator .*"ema_x"/,
    );
    expect(errorLines([{ ...base, rule_type: 'indicator', condition: { sign_change: { of: 'macd_12_26_9' } } }])).toEqual([
      `${SOURCE}: rule "r1" (rules[0]): condition.sign_change.of: macd_12_26_9 has several values; name one: macd_12_26_9.macd, macd_12_26_9.signal, macd_12_26_9.histogram`,
    ]);
    expect(errorLines([{ ...base, rule_type: 'indicator', condition: { compar: { left: 'close', op: '<', right: 1 } } }])).toEqual([
      `${SOURCE}: rule "r1" (rules[0]): condition.compar: expected one of compare, sign_change, band_break, all, any; got "compar"; did you mean 'compare'?`,
    ]);
    expect(errorLines([{ ...base, rule_type: 'indicator', condition: { all: [{ band_break: { bands: 'ema_20' } }] } }])).toEqual([
      `${SOURCE}: rule "r1" (rules[0]): condition.all[0].band_break.bands: expected a Bollinger indicator like bb_20_2, got "ema_20"`,
    ]);
  });

  it('names unknown keys with a suggestion, and bad windows, time zones and timeframes', () => {
    expect(errorLines([{ ...base, rule_type: 'signal', analyzer_id: 'a', cooldwn: '3 bars' }])).toEqual([
      `${SOURCE}: rule "r1" (rules[0]): cooldwn: unknown key; did you mean 'cooldown'?`,
    ]);
    expect(
      errorLines([
        {
          ...base,
          timeframes: ['5x'],
          rule_type: 'signal',
          analyzer_id: 'a',
          window: { timezone: 'America/Chicgo', ranges: ['25:00-02:00'], weekdays: ['monday'] },
        },
      ]),
    ).toEqual([
      `${SOURCE}: rule "r1" (rules[0]): timeframes[0]: expected a timeframe like 1m, 5m, 1h, 4h, 1d, got "5x"`,
      `${SOURCE}: rule "r1" (rules[0]): window.timezone: expected an IANA time zone like America/Chicago or UTC, got "America/Chicgo"`,
      `${SOURCE}: rule "r1" (rules[0]): window.ranges[0]: expected a range of local times like 08:30-15:00 (22:00-02:00 crosses midnight), got "25:00-02:00"`,
      `${SOURCE}: rule "r1" (rules[0]): window.weekdays[0]: expected one of sun, mon, tue, wed, thu, fri, sat, got "monday"`,
    ]);
  });

  it('rejects risk that mixes ATR multiples and points, and a confluence on a daily timeframe', () => {
    expect(errorLines([{ ...base, rule_type: 'signal', analyzer_id: 'a', risk: { stop_atr: 1, target_points: 4 } }])).toEqual([
      `${SOURCE}: rule "r1" (rules[0]): risk: expected either stop_atr and target_atr (with atr, default atr_14) or stop_points and target_points`,
    ]);
    const trendLeg = { analyzer_id: 'a', within_bars: 2 };
    expect(
      errorLines([{ ...base, timeframes: ['1d'], rule_type: 'confluence', higher: { timeframe: '1w', ...trendLeg }, trigger: trendLeg }]),
    ).toEqual([
      `${SOURCE}: rule "r1" (rules[0]): timeframes[0]: expected an intraday timeframe (seconds, minutes or hours), got "1d"`,
      `${SOURCE}: rule "r1" (rules[0]): higher.timeframe: expected an intraday timeframe (seconds, minutes or hours), got "1w"`,
    ]);
  });

  it('names a rule without a name by its position, and a file that is not a list', () => {
    expect(errorLines([{ rule_type: 'signal' }])[0]).toBe(`${SOURCE}: rules[0]: name: missing; expected a string`);
    expect(errorLines({ name: 'x' })).toEqual([`${SOURCE}: (top level): expected a list of rules (each item "- name: …")`]);
    expect(parseRuleFile(null, SOURCE)).toEqual([]);
  });

  it('rejects a rule name used twice across files', () => {
    const rule = { ...base, rule_type: 'signal', analyzer_id: 'a' };
    expect(() =>
      parseRuleFiles([
        { source: 'config/rules/a.yaml', raw: [rule] },
        { source: 'config/rules/b.yaml', raw: [rule] },
      ]),
    ).toThrow('config/rules/b.yaml: rule "r1": name: duplicate rule name; first defined in config/rules/a.yaml');
  });
});
