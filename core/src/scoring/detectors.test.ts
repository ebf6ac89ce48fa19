import { describe, expect, it } from 'vitest';
import { DETECTORS, isDetectorId, signalDirection, smcDirection, type SignalDetector } from './detectors.ts';

describe('detectors', () => {
  it('map each detector’s rows to up and down trend starts', () => {
    const trend = DETECTORS.trend as SignalDetector;
    expect([signalDirection(trend, 'uptrend_start'), signalDirection(trend, 'downtrend_start'), signalDirection(trend, 'buy')]).toEqual([
      'up',
      'down',
      null,
    ]);
    const ema = DETECTORS.ema_cross as SignalDetector;
    expect([signalDirection(ema, 'buy'), signalDirection(ema, 'sell'), signalDirection(ema, 'uptrend_start')]).toEqual([
      'up',
      'down',
      null,
    ]);
    expect([smcDirection(1), smcDirection(-1), smcDirection(null), smcDirection(0)]).toEqual(['up', 'down', null, null]);
  });

  it('knows its ids', () => {
    expect(isDetectorId('smc_choch')).toBe(true);
    expect(isDetectorId('macd')).toBe(false);
  });
});
