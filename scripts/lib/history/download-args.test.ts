import { describe, expect, it } from 'vitest';
import { parseDownloadArgs } from './download-args.ts';
import { parseExportArgs } from './export-args.ts';
import { parseImportArgs } from './import-args.ts';

describe('history command flags', () => {
  it('parse the download flags, dates as 00:00 UTC and timeframes as values', () => {
    expect(
      parseDownloadArgs([
        '--provider',
        'binance',
        '--contracts',
        'BTCUSDT, ETHUSDT',
        '--start-date',
        '2024-01-01',
        '--end-date',
        '2024-01-31',
        '--timeframes',
        '1m,4h',
        '--force',
        '--dry-run',
      ]),
    ).toEqual({
      help: false,
      provider: 'binance',
      contracts: ['BTCUSDT', 'ETHUSDT'],
      startDate: Date.UTC(2024, 0, 1),
      endDate: Date.UTC(2024, 0, 31),
      timeframes: [
        { unit: 2, value: 1 },
        { unit: 3, value: 4 },
      ],
      force: true,
      dryRun: true,
    });
  });

  it('name the flag in every complaint', () => {
    const bad: Array<[string[], RegExp]> = [
      [['--contracts', 'X', '--start-date', '2024-1-1'], /^--start-date: expected a date like 2025-03-17$/],
      [['--contracts', 'X', '--start-date', '2024-01-01', '--timeframes', '1m,7q'], /^--timeframes: '7q' is not a timeframe/],
      [['--contracts', ' , ', '--start-date', '2024-01-01'], /^--contracts: give at least one value$/],
      [['--contracts', 'X', '--start-date', '2024-01-01', '--force=yes'], /--force/],
      [['--contracts', 'X', '--start-date', '2024-01-01', 'stray'], /stray/],
    ];
    for (const [argv, message] of bad) expect(() => parseDownloadArgs(argv)).toThrow(message);
    expect(() => parseExportArgs(['--contract', 'X', '--timeframe', '5m', '--from', '2025-03-17T14:30'])).toThrow(/^--from: /);
    expect(() => parseExportArgs(['--timeframe', '5m'])).toThrow(/^--contract: required/);
    expect(() => parseImportArgs(['a.csv', '--timeframe', 'x'])).toThrow(/^--timeframe: /);
  });

  it('take --help alone, without the required flags', () => {
    expect(parseDownloadArgs(['--help']).help).toBe(true);
    expect(parseImportArgs(['--help']).help).toBe(true);
    expect(parseExportArgs(['--help']).help).toBe(true);
  });
});
