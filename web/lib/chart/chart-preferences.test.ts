import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PREFERENCES, lineVisible, parsePreferences, savePreferences, storedPreferences } from './chart-preferences.ts';

describe('parsePreferences', () => {
  it('reads stored choices and repairs broken ones field by field', () => {
    expect(
      parsePreferences(JSON.stringify({ timeZone: 'utc', lines: { ema_20: false }, trendStarts: false, hiddenAnalyzers: ['ema_cross'] })),
    ).toEqual({
      timeZone: 'utc',
      lines: { ema_20: false },
      trendStarts: false,
      hiddenAnalyzers: ['ema_cross'],
      smc: DEFAULT_PREFERENCES.smc,
    });
    expect(parsePreferences(JSON.stringify({ timeZone: 'mars', lines: 3 }))).toEqual(DEFAULT_PREFERENCES);
    expect(parsePreferences('{not json')).toEqual(DEFAULT_PREFERENCES);
    expect(parsePreferences(null)).toEqual(DEFAULT_PREFERENCES);
  });

  it('shows overlays unless switched off', () => {
    expect(lineVisible(DEFAULT_PREFERENCES, 'ema_20')).toBe(true);
    expect(lineVisible({ ...DEFAULT_PREFERENCES, lines: { ema_20: false } }, 'ema_20')).toBe(false);
  });
});

describe('storedPreferences', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('returns the same object until the stored text changes, as useSyncExternalStore needs', () => {
    const items = new Map<string, string>();
    vi.stubGlobal('window', {
      localStorage: { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => items.set(k, v) },
    });
    const first = storedPreferences();
    expect(first).toEqual(DEFAULT_PREFERENCES);
    expect(storedPreferences()).toBe(first);
    savePreferences({ ...DEFAULT_PREFERENCES, timeZone: 'utc' });
    const second = storedPreferences();
    expect(second).toEqual({ ...DEFAULT_PREFERENCES, timeZone: 'utc' });
    expect(storedPreferences()).toBe(second);
  });

  it('falls back to the defaults when storage is disabled', () => {
    vi.stubGlobal('window', {
      localStorage: {
        getItem: () => {
          throw new Error('disabled');
        },
      },
    });
    expect(storedPreferences()).toEqual(DEFAULT_PREFERENCES);
  });
});
