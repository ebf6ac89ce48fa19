// A run's contract as the trader needs it: its instrument columns (tick value, margin…) and its session
// calendar, read from `contracts`, else from settings.yaml's contracts entry (a contract only imported).
import { calendarFor, contractById, type SessionCalendar, type Settings } from '@barstream/core';
import type { Pool } from '@barstream/core/node';
import { type InstrumentSpec, TradingError } from '@barstream/core/trading';

export interface RunContract {
  readonly id: string;
  /** The instrument from the contract's columns, undefined when they are not configured. */
  readonly instrument: InstrumentSpec | undefined;
  readonly sessions: SessionCalendar;
  /** The session calendar's name (settings.yaml session_calendars): a sweep's workers build it again. */
  readonly calendarName: string;
}

interface ContractColumns {
  instrument_kind: string | null;
  tick_size: number | null;
  tick_value: number | null;
  multiplier: number | null;
  qty_step: number | null;
  initial_margin: number | null;
  session_calendar: string | null;
}

export async function readRunContract(pool: Pool, settings: Settings, contractId: string): Promise<RunContract> {
  const { rows } = await pool.query<ContractColumns>(
    `SELECT instrument_kind, tick_size, tick_value, multiplier, qty_step, initial_margin, session_calendar
       FROM contracts WHERE id = $1`,
    [contractId],
  );
  const configured = contractById(settings, contractId);
  const row = rows[0];
  const columns: ContractColumns = {
    instrument_kind: row?.instrument_kind ?? configured?.instrument_kind ?? null,
    tick_size: row?.tick_size ?? configured?.tick_size ?? null,
    tick_value: row?.tick_value ?? configured?.tick_value ?? null,
    multiplier: row?.multiplier ?? configured?.multiplier ?? null,
    qty_step: row?.qty_step ?? configured?.qty_step ?? null,
    initial_margin: row?.initial_margin ?? configured?.initial_margin ?? null,
    session_calendar: row?.session_calendar ?? configured?.session_calendar ?? null,
  };
  const calendarName = columns.session_calendar ?? 'utc';
  const sessions = calendarFor(settings, {
    id: contractId,
    provider: 'simulated',
    symbol: contractId,
    name: contractId,
    description: '',
    tick_size: columns.tick_size ?? 0.01,
    session_calendar: calendarName,
  });
  return { id: contractId, instrument: instrumentOf(columns), sessions, calendarName };
}

function instrumentOf(c: ContractColumns): InstrumentSpec | undefined {
  if (c.tick_size === null) return undefined;
  if (c.instrument_kind === 'future') {
    const tickValue = c.tick_value ?? (c.multiplier === null ? null : c.multiplier * c.tick_size);
    if (tickValue === null) return undefined;
    return { kind: 'future', tick_size: c.tick_size, tick_value: tickValue, initial_margin: c.initial_margin ?? 0 };
  }
  if (c.instrument_kind === 'crypto' && c.qty_step !== null) {
    return { kind: 'crypto', tick_size: c.tick_size, qty_step: c.qty_step, leverage: 1 };
  }
  return undefined;
}

/** The run document with `instrument` taken from the contract when the YAML gives none. */
export function withContractInstrument(document: Record<string, unknown>, contract: RunContract, source: string): Record<string, unknown> {
  if (document.instrument !== undefined) return document;
  if (!contract.instrument) {
    throw new TradingError(
      'invalid_run_config',
      `${source}: instrument: not given, and contract ${contract.id} has no instrument_kind/tick_value configured ` +
        '(add them to its settings.yaml contracts entry, or give instrument: in the strategy)',
    );
  }
  return { ...document, instrument: contract.instrument };
}
