import { describe, expect, it } from 'vitest';
import { parseSettings } from './load-config.ts';

const minimal = { ingester: { contracts: ['SIM.A'] } };

describe('parseSettings', () => {
  it('applies defaults', () => {
    const s = parseSettings(minimal);
    expect(s.broadcaster.port).toBe(8765);
    expect(s.ingester.flush_interval_ms).toBe(250);
  });

  it('names an unknown key', () => {
    expect(() => parseSettings({ ...minimal, broadcaster: { prot: 1 } })).toThrow(/broadcaster.*prot/);
  });

  it('names a bad value and the env variable it came from', () => {
    expect(() => parseSettings(minimal, { WEBSOCKET_PORT: 'abc' })).toThrow(/broadcaster\.port \(from env WEBSOCKET_PORT\)/);
    expect(() => parseSettings({ ingester: { contracts: ['A'], timeframes: ['7x'] } })).toThrow(/ingester\.timeframes\.0/);
  });

  it('lets the environment choose provider, contracts and timeframes', () => {
    const s = parseSettings(minimal, { INGEST_PROVIDER: 'binance', INGEST_CONTRACTS: 'BTCUSDT, ETHUSDT', INGEST_TIMEFRAMES: '1m,1h' });
    expect([s.ingester.provider, s.ingester.contracts, s.ingester.timeframes]).toEqual(['binance', ['BTCUSDT', 'ETHUSDT'], ['1m', '1h']]);
  });

  it('returns frozen settings', () => {
    expect(Object.isFrozen(parseSettings(minimal).ingester)).toBe(true);
  });
});
