// analyzer.smc in config/settings.yaml: parameters, window and errors that name the key.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.ts';
import { parseSettings } from '../node/load-config.ts';

const contract = { id: 'SIM.A', provider: 'simulated', symbol: 'A', tick_size: 0.25, session_calendar: 'utc' };
const withSmc = (smc: unknown[]) => ({ contracts: [contract], ingester: { contracts: ['SIM.A'] }, analyzer: { smc } });
const study = { study_id: 's', contract_id: 'SIM.A', timeframes: ['5m'], last: 100 };

function errorText(raw: unknown): string {
  try {
    parseSettings(raw, {}, 'settings.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('analyzer.smc', () => {
  it('takes the library defaults for parameters not given', () => {
    const s = parseSettings(withSmc([{ ...study, params: { swing_length: 7 } }]));
    expect(s.analyzer.smc[0]!.params).toEqual({
      swing_length: 7,
      close_break: true,
      join_consecutive: false,
      close_mitigation: false,
      range_percent: 0.01,
    });
  });

  it('names the bad parameter, a misspelt one included', () => {
    expect(errorText(withSmc([{ ...study, params: { swing_length: 0 } }]))).toMatch(/analyzer\.smc\[0\]\.params\.swing_length/);
    expect(errorText(withSmc([{ ...study, params: { swing_lenght: 5 } }]))).toMatch(/analyzer\.smc\[0\]\.params.*swing_lenght/);
    expect(errorText(withSmc([{ ...study, timeframes: ['7x'] }]))).toMatch(/analyzer\.smc\[0\]\.timeframes\[0\]/);
  });

  it('requires exactly one window start: from or last', () => {
    const { last: _last, ...noWindow } = study;
    expect(errorText(withSmc([noWindow]))).toMatch(/analyzer\.smc\[0\]\.from: missing; give the window start as from: .* or last:/);
    expect(errorText(withSmc([{ ...study, from: '2025-01-01T00:00:00Z' }]))).toMatch(
      /analyzer\.smc\[0\]\.last: give either from: or last:, not both/,
    );
    expect(errorText(withSmc([{ ...noWindow, from: 'yesterday' }]))).toMatch(/analyzer\.smc\[0\]\.from: expected an ISO date-time/);
    expect(errorText(withSmc([{ ...study, last: 0 }]))).toMatch(/analyzer\.smc\[0\]\.last: expected a number of bars/);
  });

  it('refuses the same study twice on one contract and timeframe', () => {
    expect(errorText(withSmc([study, { ...study, timeframes: ['1h', '5m'] }]))).toMatch(
      /analyzer\.smc\[1\]\.study_id: duplicate SMC study "s" on SIM\.A 5m/,
    );
  });

  it('the shipped config has an SMC study on SIM.MES', () => {
    const raw: unknown = parseYaml(readFileSync(new URL('../../../config/settings.yaml', import.meta.url), 'utf8'));
    const s = parseSettings(raw);
    expect(s.analyzer.smc.map((x) => [x.contract_id, x.timeframes])).toEqual([['SIM.MES', ['5m', '1h']]]);
  });
});
