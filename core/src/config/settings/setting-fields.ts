// Field schemas several settings sections share: timeframes, ports, time zones, retention days, providers.
import { z } from 'zod';
import { isValidTimeZone } from '../../time-zone.ts';
import { parseTimeframe } from '../../timeframe.ts';
import { didYouMean, expected } from '../config-messages.ts';

export const timeframeText = z.string({ error: expected('a timeframe like 1m, 5m, 1h, 4h, 1d, 1w, 1mo') }).refine(
  (s) => {
    try {
      parseTimeframe(s);
      return true;
    } catch {
      return false;
    }
  },
  { error: expected('a timeframe like 1m, 5m, 1h, 4h, 1d, 1w, 1mo') },
);

const PORT = 'a port number (0–65535)';
export const port = z
  .number({ error: expected(PORT) })
  .int({ error: expected(PORT) })
  .min(0, { error: expected(PORT) })
  .max(65535, { error: expected(PORT) });

export const timeZone = z.string().refine(isValidTimeZone, {
  error: (issue) => {
    const hint = typeof issue.input === 'string' ? didYouMean(issue.input, Intl.supportedValuesOf('timeZone')) : '';
    return `${expected('an IANA time zone like America/Chicago or UTC')(issue)}${hint}`;
  },
});

const DAYS = 'a whole number of days (1 or more)';
export const retentionDays = z
  .number({ error: expected(DAYS) })
  .int({ error: expected(DAYS) })
  .min(1, { error: expected(DAYS) });

export const PROVIDERS = ['simulated', 'replay', 'projectx', 'binance', 'coinbase', 'alpaca'] as const;
