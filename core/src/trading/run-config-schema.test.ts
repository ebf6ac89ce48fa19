import { describe, expect, it } from 'vitest';
import { parseStrategyRunConfig } from './run-config-schema.ts';
import { BTC_EMA_CROSS, MES_TREND_START } from './test-fixtures.ts';

describe('strategy run config', () => {
  it('parses the two examples and fills in the defaults', () => {
    const mes = parseStrategyRunConfig(MES_TREND_START);
    expect(mes).toMatchObject({
      kind: 'backtest',
      fill_model: { type: 'bar' },
      order_tif: 'gtc',
      exits: { on_opposite_signal: 'reverse' },
    });
    const btc = parseStrategyRunConfig(BTC_EMA_CROSS);
    expect(btc.instrument).toEqual({ kind: 'crypto', tick_size: 0.01, qty_step: 0.00001, leverage: 1 });
    expect(btc.exits.take_profit).toEqual([
      { percent: 1, fraction: 0.5 },
      { percent: 2, fraction: 0.5 },
    ]);
    expect(btc.risk).toEqual({ flatten_on_halt: true });
    expect(parseStrategyRunConfig({ ...BTC_EMA_CROSS, fill_model: { type: 'tick' } }).fill_model).toEqual({
      type: 'tick',
      latency_min_ms: 50,
      latency_max_ms: 100,
      seed: 1,
    });
  });

  it('names the key path of each problem', () => {
    const bad = {
      ...MES_TREND_START,
      sizing: { type: 'fixed', qty: 'one' },
      instrument: { kind: 'future', tick_size: 0.25, tick_vaule: 1.25 },
      risk: { max_open_orders: 2.5 },
    };
    expect(() => parseStrategyRunConfig(bad, 'config/strategies/mes.yaml')).toThrow(
      [
        'config/strategies/mes.yaml: instrument.tick_value: Invalid input: expected number, received undefined',
        'config/strategies/mes.yaml: instrument: Unrecognized key: "tick_vaule"',
        'config/strategies/mes.yaml: sizing.qty: Invalid input: expected number, received string',
        'config/strategies/mes.yaml: risk.max_open_orders: Invalid input: expected int, received number',
      ].join('\n'),
    );
  });

  it('checks what one key says about another', () => {
    const err = (input: unknown): string => {
      try {
        parseStrategyRunConfig(input);
        return 'parsed';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(err({ ...MES_TREND_START, to: '2023-01-01T00:00:00Z' })).toBe('strategy run: to: must be after from (2024-01-02T00:00:00Z)');
    expect(err({ ...MES_TREND_START, sizing: { type: 'risk', percent: 1 }, exits: {} })).toBe(
      'strategy run: exits.stop_loss: required by sizing.type risk',
    );
    expect(err({ ...MES_TREND_START, sizing: { type: 'fixed', qty: 1.5 } })).toBe(
      'strategy run: sizing.qty: futures trade whole contracts',
    );
    expect(err({ ...BTC_EMA_CROSS, fees: { per_contract: 1 } })).toBe(
      'strategy run: fees.per_contract: per-contract fees apply to futures; use bps',
    );
    expect(err({ ...BTC_EMA_CROSS, kind: 'live' })).toMatch(/^strategy run: kind: /);
  });
});
