import { ValidationError } from '@barstream/core';
import { describe, expect, it } from 'vitest';
import { parseStrategyYaml } from './strategy-yaml.ts';

const GOOD = `id: es-demo
kind: backtest
from: 2024-01-02T00:00:00Z
to: 2024-02-01T00:00:00Z
contract: SIM.MES
timeframe: 5m
signals: { analyzer_id: t, map: { buy: entry_long } }
instrument: { kind: future, tick_size: 0.25, tick_value: 1.25 }
sizing: { type: risk, percent: 1 }
exits: { stop_loss: { ticks: 8 } }
starting_capital: 5000
`;

function error(text: string): ValidationError {
  try {
    parseStrategyYaml(text);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('strategy YAML', () => {
  it('parses into the engine’s run config with defaults', () => {
    const { config } = parseStrategyYaml(GOOD);
    expect(config).toMatchObject({ id: 'es-demo', kind: 'backtest', fill_model: { type: 'bar' }, slippage: { ticks: 0 } });
  });

  it('names the first bad key and lists every problem', () => {
    const err = error(GOOD.replace('exits: { stop_loss: { ticks: 8 } }\n', '').replace('starting_capital: 5000', 'starting_capital: -1'));
    expect(err.field).toBe('config_yaml.starting_capital');
    expect(err.message).toMatch(/starting_capital: .*; exits\.stop_loss: required by sizing\.type risk/);
  });

  it('refuses text that is not a YAML mapping', () => {
    expect(error('a: [1').field).toBe('config_yaml');
    expect(error('42').message).toMatch(/mapping/);
  });
});
