import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES, lineVisible, parsePreferences } from './chart-preferences.ts';

describe('parsePreferences', () => {
  it('reads stored choices and repairs broken ones field by field', () => {
    expect(parsePreferences(JSON.stringify({ timeZone: 'utc', lines: { ema_20: false }, trendStarts: false, hiddenAnalyzers: ['ema_cross'] })))
      .toEqual({ timeZone: 'utc', lines: { ema_20: false }, trendStarts: false, hiddenAnalyzers: ['ema_cross'] });
    expect(parsePreferences(JSON.stringify({ timeZone: 'mars', lines: 3 }))).toEqual(DEFAULT_PREFERENCES);
    expect(parsePreferences('{not json')).toEqual(DEFAULT_PREFERENCES);
    expect(parsePreferences(null)).toEqual(DEFAULT_PREFERENCES);
  });

  it('shows overlays unless switched off', () => {
    expect(lineVisible(DEFAULT_PREFERENCES, 'ema_20')).toBe(true);
    expect(lineVisible({ ...DEFAULT_PREFERENCES, lines: { ema_20: false } }, 'ema_20')).toBe(false);
  });
});
