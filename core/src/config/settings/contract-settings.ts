// A contracts: entry of config/settings.yaml: one instrument, its provider, tick and calendar.
import { z } from 'zod';
import { PROVIDERS } from './setting-fields.ts';

export const contractSchema = z.strictObject({
  id: z.string().min(1),
  provider: z.enum(PROVIDERS),
  symbol: z.string().min(1),
  name: z.string().default(''),
  description: z.string().default(''),
  tick_size: z.number().positive(),
  session_calendar: z.string().min(1),
  /** Simulated provider only: where the random walk starts. */
  start_price: z.number().positive().optional(),
  /** Trading (docs/TRADING.md): what a tick is worth and how the contract is margined; a strategy
   * run without an `instrument:` takes them from here (the contract sync writes them to contracts). */
  instrument_kind: z.enum(['future', 'crypto']).optional(),
  tick_value: z.number().positive().optional(),
  multiplier: z.number().positive().optional(),
  qty_step: z.number().positive().optional(),
  initial_margin: z.number().nonnegative().optional(),
});

export type ContractSettings = z.infer<typeof contractSchema>;
