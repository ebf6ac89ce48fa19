import { describe, expect, it } from 'vitest';
import { parsePreferences } from '../chart-preferences.ts';
import { DEFAULT_SMC_VISIBILITY } from './smc-visibility.ts';

describe('SMC toggles in the stored chart preferences', () => {
  it('shows every study until switched off, and remembers each switch', () => {
    expect(parsePreferences(null).smc).toEqual(DEFAULT_SMC_VISIBILITY);
    expect(parsePreferences(JSON.stringify({ smc: { ob: false, swings: false } })).smc).toEqual({
      ...DEFAULT_SMC_VISIBILITY,
      ob: false,
      swings: false,
    });
  });

  it('repairs a broken entry instead of dropping the other preferences', () => {
    expect(parsePreferences(JSON.stringify({ timeZone: 'utc', smc: 'all' }))).toMatchObject({
      timeZone: 'utc',
      smc: DEFAULT_SMC_VISIBILITY,
    });
    expect(parsePreferences(JSON.stringify({ smc: { fvg: 'no' } })).smc.fvg).toBe(true);
  });
});
