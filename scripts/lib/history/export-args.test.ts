import { describe, expect, it } from 'vitest';
import { parseExportArgs } from './export-args.ts';

describe('parseExportArgs', () => {
  it('takes bars with a timeframe, and signals with or without one', () => {
    expect(parseExportArgs(['--contract', 'X', '--timeframe', '5m'])).toMatchObject({
      what: 'bars',
      contract: 'X',
      timeframe: { unit: 2, value: 5 },
    });
    expect(parseExportArgs(['--signals', '--contract', 'X'])).toMatchObject({ what: 'signals', timeframe: undefined, analyzer: undefined });
    expect(
      parseExportArgs([
        '--signals',
        '--contract',
        'X',
        '--timeframe',
        '1h',
        '--analyzer',
        'a1',
        '--from',
        '2025-03-17',
        '--to',
        '2025-03-18',
      ]),
    ).toMatchObject({
      what: 'signals',
      timeframe: { unit: 3, value: 1 },
      analyzer: 'a1',
      from: Date.UTC(2025, 2, 17),
      to: Date.UTC(2025, 2, 18),
    });
  });

  it('names the flag a command line gets wrong', () => {
    expect(() => parseExportArgs(['--contract', 'X'])).toThrow(/^--timeframe: required/);
    expect(() => parseExportArgs(['--contract', 'X', '--timeframe', '5m', '--analyzer', 'a1'])).toThrow(
      '--analyzer: applies to --signals only',
    );
    expect(() => parseExportArgs(['--signals', '--contract', 'X', '--analyzer', ' '])).toThrow('--analyzer: is empty');
    expect(() => parseExportArgs(['--signals', '--contract', 'X', '--timeframe', '7q'])).toThrow(/^--timeframe: '7q' is not a timeframe/);
  });
});
