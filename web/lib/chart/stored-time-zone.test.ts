import { describe, expect, it } from 'vitest';
import { parsePreferences } from './chart-preferences.ts';
import { chartZone, timeZoneChoice } from './stored-time-zone.ts';

describe('the stored time zone choice, read without zod', () => {
  it('is what parsePreferences reads for every kind of stored text', () => {
    const texts: (string | null)[] = [
      null,
      '',
      'not json',
      'null',
      '[]',
      '["utc"]',
      '"utc"',
      '42',
      '{}',
      '{"timeZone":"utc"}',
      '{"timeZone":"exchange"}',
      '{"timeZone":"UTC"}',
      '{"timeZone":null}',
      '{"timeZone":"utc","lines":"broken","smc":7}',
      '{"timeZone":"utc","trendStarts":false,"hiddenAnalyzers":["a"]}',
      '{"timeZone":["utc"]}',
    ];
    for (const text of texts) expect(timeZoneChoice(text), String(text)).toBe(parsePreferences(text).timeZone);
  });

  it('labels in the exchange zone only when chosen and known', () => {
    expect(chartZone('exchange', 'America/Chicago')).toBe('America/Chicago');
    expect(chartZone('exchange', null)).toBe('UTC');
    expect(chartZone('utc', 'America/Chicago')).toBe('UTC');
  });
});
