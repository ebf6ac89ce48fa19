// What the /trends page shows for its URL: the contracts and timeframes to pick from, the chosen
// pair with its session calendar, and where the broadcaster is; or why it cannot be shown.
import 'server-only';
import {
  BarstreamError, CME_CALENDAR, formatTimeframe, parseTimeframe, UTC_CALENDAR, ValidationError,
  type SessionCalendarSpec, type Settings,
} from '@barstream/core';
import type { WireContract } from './api-schemas.ts';
import type { BroadcasterEndpoint } from './chart/broadcaster-endpoint.ts';
import { contractIdSchema } from './params.ts';
import { listContracts } from './queries/contracts.ts';
import { webConfig } from './server/config.ts';
import { webLogger } from './server/logger.ts';

export type SearchParams = Readonly<Record<string, string | string[] | undefined>>;

export interface TrendsSelection {
  readonly contractId: string;
  readonly timeframe: string;
  readonly calendar: SessionCalendarSpec | null;
}

export interface TrendsView {
  readonly contracts: readonly WireContract[];
  readonly timeframes: readonly string[];
  readonly broadcaster: BroadcasterEndpoint | null;
  readonly selection: TrendsSelection | null;
  /** Set when the chart cannot be shown; says why in words a user can act on. */
  readonly error: string | null;
}

const BUILTIN_CALENDARS: Readonly<Record<string, SessionCalendarSpec>> = {
  [UTC_CALENDAR.name]: UTC_CALENDAR,
  [CME_CALENDAR.name]: CME_CALENDAR,
};

function first(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

export function calendarSpec(settings: Settings, name: string): SessionCalendarSpec | null {
  const configured = settings.session_calendars[name];
  if (configured) return { name, timezone: configured.timezone, sessionOpen: configured.session_open };
  return BUILTIN_CALENDARS[name] ?? null;
}

export function broadcasterEndpoint(settings: Settings): BroadcasterEndpoint {
  const url = settings.web.broadcaster_url;
  return url ? { url } : { port: settings.broadcaster.port };
}

/** Never throws: every failure becomes `error`, with as much of the page as could be loaded. */
export async function loadTrendsView(params: SearchParams): Promise<TrendsView> {
  const empty: TrendsView = { contracts: [], timeframes: [], broadcaster: null, selection: null, error: null };
  let settings: Settings;
  let contracts: WireContract[];
  try {
    settings = webConfig().settings;
    contracts = await listContracts();
  } catch (err) {
    webLogger().error({ err }, 'trends page: cannot load contracts');
    const reason = err instanceof BarstreamError ? err.message : 'the database is not reachable';
    return { ...empty, error: `Cannot load contracts: ${reason}. Try again shortly.` };
  }
  const configured = [...settings.ingester.timeframes];
  const base = { ...empty, contracts, timeframes: configured, broadcaster: broadcasterEndpoint(settings) };

  let timeframe: string;
  try {
    const requested = first(params.tf);
    timeframe = requested === undefined ? (configured[0] ?? '1m') : formatTimeframe(parseTimeframe(requested, 'tf'));
  } catch (err) {
    if (err instanceof ValidationError) return { ...base, error: `Bad URL parameter ${err.message}` };
    throw err;
  }
  const timeframes = configured.includes(timeframe) ? configured : [...configured, timeframe];

  const requestedContract = first(params.contract);
  let contractId: string;
  if (requestedContract === undefined) {
    const preferred = settings.ingester.contracts.find((id) => contracts.some((c) => c.id === id));
    const fallback = preferred ?? contracts[0]?.id;
    if (fallback === undefined) {
      return { ...base, timeframes, error: 'No contracts in the database yet. Start the ingester, then reload.' };
    }
    contractId = fallback;
  } else {
    const checked = contractIdSchema.safeParse(requestedContract);
    if (!checked.success) {
      return { ...base, timeframes, error: `Bad URL parameter contract: ${checked.error.issues[0]?.message ?? 'is invalid'}` };
    }
    contractId = checked.data;
  }
  const contract = contracts.find((c) => c.id === contractId);
  if (!contract) return { ...base, timeframes, error: `Unknown contract '${contractId}'. Pick one from the list.` };

  return {
    ...base,
    timeframes,
    selection: { contractId, timeframe, calendar: calendarSpec(settings, contract.session_calendar) },
  };
}
