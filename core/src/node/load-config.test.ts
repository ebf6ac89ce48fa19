import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ingestContracts } from '../config/contracts.ts';
import { ConfigError } from '../errors.ts';
import { loadConfig, parseSettings } from './load-config.ts';

const contract = { id: 'SIM.A', provider: 'simulated', symbol: 'A', tick_size: 0.25, session_calendar: 'utc' };
const minimal = { contracts: [contract], ingester: { contracts: ['SIM.A'] } };
const target = { analyzer_id: 'ema', strategy: 'ema_cross', contract_id: 'SIM.A', timeframes: ['1m'] };
const SOURCE = 'config/settings.yaml';

/** The ConfigError's message lines (the whole text a user reads). */
function errorLines(raw: unknown, env: Record<string, string> = {}): string[] {
  try {
    parseSettings(raw, env, SOURCE);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message.split('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('parseSettings', () => {
  it('applies defaults', () => {
    const s = parseSettings(minimal);
    expect(s.broadcaster.port).toBe(8765);
    expect(s.ingester.flush_interval_ms).toBe(250);
  });

  it('lets the environment choose provider, contracts and timeframes', () => {
    const s = parseSettings(minimal, { INGEST_PROVIDER: 'binance', INGEST_CONTRACTS: 'BTCUSDT, ETHUSDT', INGEST_TIMEFRAMES: '1m,1h' });
    expect([s.ingester.provider, s.ingester.contracts, s.ingester.timeframes]).toEqual(['binance', ['BTCUSDT', 'ETHUSDT'], ['1m', '1h']]);
  });

  it('runs Alpaca from the environment alone: unlisted stock symbols on the xnys calendar, keys and URLs from ALPACA_*', () => {
    const env = {
      INGEST_PROVIDER: 'alpaca',
      INGEST_CONTRACTS: 'SPY,BRK.B',
      ALPACA_KEY_ID: 'k',
      ALPACA_SECRET_KEY: 's',
      ALPACA_FEED: 'sip',
      ALPACA_DATA_URL: 'http://127.0.0.1:1',
      ALPACA_STREAM_URL: 'ws://127.0.0.1:2/v2',
    };
    const s = parseSettings(minimal, env);
    expect(s.providers.alpaca).toEqual({
      data_url: 'http://127.0.0.1:1',
      stream_url: 'ws://127.0.0.1:2/v2',
      feed: 'sip',
      adjustment: 'raw',
      key_id: 'k',
      secret_key: 's',
    });
    expect(ingestContracts(s).map((c) => [c.id, c.provider, c.tick_size, c.session_calendar])).toEqual([
      ['SPY', 'alpaca', 0.01, 'xnys'],
      ['BRK.B', 'alpaca', 0.01, 'xnys'],
    ]);
    expect(() => parseSettings(minimal, { ...env, INGEST_CONTRACTS: 'spy' })).toThrow(/ingester\.contracts\[0\]/);
    expect(() => parseSettings(minimal, { ...env, ALPACA_FEED: 'nasdaq' })).toThrow(/providers\.alpaca\.feed/);
  });

  it('returns frozen settings', () => {
    expect(Object.isFrozen(parseSettings(minimal).ingester)).toBe(true);
  });

  it('accepts strategy parameters its schema accepts', () => {
    const s = parseSettings({ ...minimal, analyzer: { targets: [{ ...target, params: { fast: 5, slow: 12, rsi_filter: true } }] } });
    expect(s.analyzer.targets[0]?.params).toEqual({ fast: 5, slow: 12, rsi_filter: true });
  });
});

describe('configuration errors', () => {
  it('names a bad strategy parameter by its full key path, the value and what is allowed', () => {
    const targets = [target, target, { ...target, params: { fast: 'x' } }];
    expect(errorLines({ ...minimal, analyzer: { targets } })).toEqual([
      'config/settings.yaml: analyzer.targets[2].params.fast: expected an integer ≥ 2, got "x"',
    ]);
  });

  it('checks parameters against each other and rejects parameters a strategy does not take', () => {
    const targets = [
      { ...target, params: { fast: 30, slow: 20 } },
      { ...target, strategy: 'cus_cds_trend_finder', params: { fast: 3 } },
    ];
    expect(errorLines({ ...minimal, analyzer: { targets } })).toEqual([
      'config/settings.yaml: analyzer.targets[0].params.fast: expected fast below slow (20), got 30',
      'config/settings.yaml: analyzer.targets[1].params.fast: unknown key (none are accepted here)',
    ]);
  });

  it('names an unknown strategy with the known ones', () => {
    expect(errorLines({ ...minimal, analyzer: { targets: [{ ...target, strategy: 'ema_crosss' }] } })).toEqual([
      'config/settings.yaml: analyzer.targets[0].strategy: expected one of cus_cds_trend_finder, ema_cross_rsi, ema_cross, got "ema_crosss"; did you mean \'ema_cross\'?',
    ]);
  });

  it('rejects a time zone that is not IANA, suggesting the closest', () => {
    const calendars = { cme: { timezone: 'America/Chicgo', session_open: '17:00' } };
    expect(errorLines({ ...minimal, session_calendars: calendars })).toEqual([
      'config/settings.yaml: session_calendars.cme.timezone: expected an IANA time zone like America/Chicago or UTC, got "America/Chicgo"; did you mean \'America/Chicago\'?',
    ]);
  });

  it('rejects a contract whose session calendar does not exist', () => {
    expect(errorLines({ ...minimal, contracts: [{ ...contract, session_calendar: 'cme_globx' }] })).toEqual([
      'config/settings.yaml: contracts[0].session_calendar: expected a calendar under session_calendars (utc, cme_globex, cme_equity_futures, xnys, crypto_24_7), got "cme_globx"; did you mean \'cme_globex\'?',
    ]);
  });

  it('lets the simulator follow the calendars (default) or trade around the clock (SIM_MARKET_HOURS)', () => {
    expect(parseSettings(minimal).ingester.simulated.market_hours).toBe('calendar');
    expect(parseSettings(minimal, { SIM_MARKET_HOURS: 'always' }).ingester.simulated.market_hours).toBe('always');
    expect(errorLines(minimal, { SIM_MARKET_HOURS: 'never' })).toEqual([
      'SIM_MARKET_HOURS (env): ingester.simulated.market_hours: expected one of calendar, always, got "never"',
    ]);
  });

  it('accepts a calendar entry naming an exchange calendar, and rejects an unknown one or a mixed entry', () => {
    expect(parseSettings({ ...minimal, session_calendars: { stocks: { calendar: 'xnys' } } }).session_calendars.stocks).toEqual({
      calendar: 'xnys',
    });
    expect(errorLines({ ...minimal, session_calendars: { stocks: { calendar: 'xnyse' } } })).toEqual([
      'config/settings.yaml: session_calendars.stocks.calendar: expected one of the exchange calendars cme_equity_futures, xnys, crypto_24_7, got "xnyse"; did you mean \'xnys\'?',
    ]);
    expect(errorLines({ ...minimal, session_calendars: { x: { calendar: 'xnys', timezone: 'UTC' } } })).toEqual([
      'config/settings.yaml: session_calendars.x.calendar: give either calendar or timezone + session_open, not both',
    ]);
    expect(errorLines({ ...minimal, session_calendars: { x: { timezone: 'UTC' } } })).toEqual([
      'config/settings.yaml: session_calendars.x.session_open: missing; expected a time HH:MM (or calendar: one of cme_equity_futures, xnys, crypto_24_7)',
    ]);
  });

  it('rejects an ingester contract that is not configured or belongs to another provider', () => {
    expect(errorLines({ ...minimal, ingester: { contracts: ['SIM.B'] } })).toEqual([
      'config/settings.yaml: ingester.contracts[0]: expected the id of a contract under contracts:, got "SIM.B"; did you mean \'SIM.A\'?',
    ]);
    expect(errorLines(minimal, { INGEST_PROVIDER: 'projectx' })).toEqual([
      'config/settings.yaml: ingester.contracts[0]: contract "SIM.A" belongs to provider simulated, not projectx (ingester.provider)',
    ]);
  });

  it('names a misspelt key and suggests the right one', () => {
    expect(errorLines({ ...minimal, ingester: { contracts: ['SIM.A'], timefrmes: ['1m'] }, broadcaster: { prot: 1 } })).toEqual([
      "config/settings.yaml: ingester.timefrmes: unknown key; did you mean 'timeframes'?",
      "config/settings.yaml: broadcaster.prot: unknown key; did you mean 'port'?",
    ]);
  });

  it('names an unknown key without a guess when nothing is close', () => {
    expect(errorLines({ ...minimal, web: { colour: 'blue' } })).toEqual(['config/settings.yaml: web.colour: unknown key']);
  });

  it('names a bad environment override as such, with the value as written', () => {
    expect(errorLines(minimal, { INGEST_TIMEFRAMES: '1m,7x' })).toEqual([
      'INGEST_TIMEFRAMES (env): ingester.timeframes[1]: expected a timeframe like 1m, 5m, 1h, 4h, 1d, 1w, 1mo, got "7x"',
    ]);
    expect(errorLines(minimal, { WEBSOCKET_PORT: 'abc' })).toEqual([
      'WEBSOCKET_PORT (env): broadcaster.port: expected a port number (0–65535), got "abc"',
    ]);
    expect(errorLines(minimal, { LOG_LEVEL: 'verbose' })).toEqual([
      'LOG_LEVEL (env): logging.level: expected one of trace, debug, info, warn, error, fatal, silent, got "verbose"',
    ]);
  });

  it('reports several errors at once, one line each', () => {
    const raw = {
      ...minimal,
      session_calendars: { x: { timezone: 'Mars/Olympus', session_open: '25:00' } },
      analyzer: { targets: [{ ...target, params: { fast: 1.5 } }] },
      web: { port: 70000 },
    };
    expect(errorLines(raw, { INGEST_PROVIDER: 'binanse' })).toEqual([
      'config/settings.yaml: session_calendars.x.timezone: expected an IANA time zone like America/Chicago or UTC, got "Mars/Olympus"',
      'config/settings.yaml: session_calendars.x.session_open: expected a time HH:MM (00:00–23:59), got "25:00"',
      'INGEST_PROVIDER (env): ingester.provider: expected one of simulated, replay, projectx, binance, coinbase, alpaca, got "binanse"; did you mean \'binance\'?',
      'config/settings.yaml: analyzer.targets[0].params.fast: expected an integer ≥ 2, got 1.5',
      'config/settings.yaml: web.port: expected a port number (0–65535), got 70000',
    ]);
  });

  it("checks the analyzer's sweep_cron with the scheduler's parser", () => {
    expect(errorLines({ ...minimal, analyzer: { sweep_cron: '61 * * * *' } })).toEqual([
      'config/settings.yaml: analyzer.sweep_cron: expected a cron expression like */5 * * * * (minute hour day month weekday; seconds first when 6 fields), got "61 * * * *" (61 is a invalid expression for minute)',
    ]);
    expect(parseSettings({ ...minimal, analyzer: { sweep_cron: '*/5 * * * * *' } }).analyzer.sweep_cron).toBe('*/5 * * * * *');
  });

  it('keeps everything unless retention is set, and names the retention key that is wrong', () => {
    expect(parseSettings(minimal).retention).toEqual({ bars: {}, cron: '30 3 * * *', batch_rows: 10_000 });
    const ok = parseSettings({ ...minimal, retention: { ticks_days: 7, bars: { '1m': 30, '1h': 365 } } }).retention;
    expect([ok.ticks_days, ok.bars]).toEqual([7, { '1m': 30, '1h': 365 }]);
    expect(
      errorLines({
        ...minimal,
        retention: { ticks_days: 0, bars: { '1m': 2.5 }, batch_rows: 5, keep: true },
      }),
    ).toEqual([
      'config/settings.yaml: retention.ticks_days: expected a whole number of days (1 or more), got 0',
      'config/settings.yaml: retention.bars.1m: expected a whole number of days (1 or more), got 2.5',
      'config/settings.yaml: retention.batch_rows: expected a number ≥ 100, got 5',
      'config/settings.yaml: retention.keep: unknown key',
    ]);
    // A timeframe key is checked once the shapes are right (the schema's cross-field pass).
    expect(errorLines({ ...minimal, retention: { bars: { '7x': 3 } } })).toEqual([
      'config/settings.yaml: retention.bars.7x: expected a timeframe like 1m, 5m, 1h, 4h, 1d, 1w, 1mo as the key, got "7x"',
    ]);
  });

  it("accepts settings.yaml's commented retention example as written", () => {
    const file = readFileSync(new URL('../../../config/settings.yaml', import.meta.url), 'utf8');
    const example = /^# retention:\n(?:# {3}.*\n)+/m.exec(file)?.[0];
    expect(example, 'config/settings.yaml: a commented "# retention:" block').toBeDefined();
    const raw = parseYaml((example ?? '').replace(/^# /gm, '')) as { retention: unknown };
    const retention = parseSettings({ ...minimal, retention: raw.retention }).retention;
    expect(retention.ticks_days).toBeGreaterThan(0);
    expect(Object.keys(retention.bars).length).toBeGreaterThan(0);
  });

  it("checks retention.cron with the scheduler's parser", () => {
    expect(errorLines({ ...minimal, retention: { cron: '99 3 * * *' } })).toEqual([
      'config/settings.yaml: retention.cron: expected a cron expression like */5 * * * * (minute hour day month weekday; seconds first when 6 fields), got "99 3 * * *" (99 is a invalid expression for minute)',
    ]);
  });

  it('names what a list or a parameter of the wrong shape should be', () => {
    const raw = { ...minimal, analyzer: { targets: [{ ...target, timeframes: [], params: { fast: [5] } }] } };
    expect(errorLines(raw)).toEqual([
      'config/settings.yaml: analyzer.targets[0].timeframes: expected at least 1 entry, got an empty list',
      'config/settings.yaml: analyzer.targets[0].params.fast: expected a number or a string or true or false, got a list of 1',
    ]);
  });

  it('names a missing section', () => {
    expect(errorLines({ contracts: [contract] })).toEqual(['config/settings.yaml: ingester: missing; expected a mapping']);
  });
});

describe('loadConfig', () => {
  it('names the file it read, and nothing else reads the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'load-config-'));
    mkdirSync(join(dir, 'config'));
    const file = join(dir, 'config', 'settings.yaml');
    writeFileSync(
      file,
      'ingester:\n  contracts: [SIM.A]\ncontracts:\n  - { id: SIM.A, provider: simulated, symbol: A, tick_size: 0.25, session_calendar: utc }\n' +
        'analyzer:\n  targets:\n    - { analyzer_id: e, strategy: ema_cross, contract_id: SIM.A, timeframes: [1m], params: { fast: x } }\n',
    );
    expect(() => loadConfig({ BARSTREAM_CONFIG: file })).toThrow(
      new ConfigError(`${file}: analyzer.targets[0].params.fast: expected an integer ≥ 2, got "x"`),
    );
  });
});
