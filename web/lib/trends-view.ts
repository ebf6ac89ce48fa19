// What the /trends page shows for its URL: the contracts and timeframes to pick from, the chosen
// pair with its session calendar, and where the broadcaster is; or why it cannot be shown.
import 'server-only';
import { BarstreamError, formatTimeframe, parseTimeframe, type SessionCalendarSpec, type Settings, ValidationError } from '@barstream/core';
import { contractIdSchema, MAX_LIMIT } from './api/query-fields.ts';
import type { WireContract } from './api/response-schemas.ts';
import type { BroadcasterEndpoint } from './chart/broadcaster-endpoint.ts';
import { defaultTimeframe } from './default-timeframe.ts';
import { listContracts } from './queries/contracts.ts';
import { calendarSpec } from './server/calendars.ts';
import { webConfig } from './server/config.ts';
import { webLogger } from './server/logger.ts';

export type SearchParams = Readonly<Record<string, string | string[] | undefined>>;

/** Bars drawn first (about a week of 1m bars); `?bars=` asks for more or fewer. */
export const DEFAULT_INITIAL_BARS = 5_000;
const MIN_INITIAL_BARS = 100;

export interface TrendsSelection {
  readonly contractId: string;
  readonly timeframe: string;
  readonly calendar: SessionCalendarSpec | null;
  readonly initialBars: number;
}

export interface TrendsView {
  readonly contracts: readonly WireContract[];
  readonly timeframes: readonly string[];
  /** What the pickers show: the URL's choice where it names something that exists, else the default. */
  readonly picker: { readonly contractId: string; readonly timeframe: string };
  readonly broadcaster: BroadcasterEndpoint | null;
  readonly selection: TrendsSelection | null;
  /** Set when the chart cannot be shown; says why in words a user can act on. */
  readonly error: string | null;
}

function first(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

export function broadcasterEndpoint(settings: Settings): BroadcasterEndpoint {
  const url = settings.web.broadcaster_url;
  return url ? { url } : { port: settings.broadcaster.port };
}

export function parseInitialBars(text: string | undefined): number {
  if (text === undefined) return DEFAULT_INITIAL_BARS;
  const n = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= MIN_INITIAL_BARS && n <= MAX_LIMIT)) {
    throw new ValidationError('bars', `'${text}' is not a number of bars from ${MIN_INITIAL_BARS} to ${MAX_LIMIT}`);
  }
  return n;
}

/** Never throws: every failure becomes `error`, with as much of the page as could be loaded. */
export async function loadTrendsView(params: SearchParams): Promise<TrendsView> {
  const empty: TrendsView = {
    contracts: [],
    timeframes: [],
    picker: { contractId: '', timeframe: '' },
    broadcaster: null,
    selection: null,
    error: null,
  };
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
  const requestedContract = first(params.contract);
  const preferred = settings.ingester.contracts.find((id) => contracts.some((c) => c.id === id)) ?? contracts[0]?.id ?? '';
  const requestedTf = first(params.tf);
  const pickedContract = contracts.some((c) => c.id === requestedContract) ? (requestedContract as string) : preferred;
  // Without a timeframe in the URL: one whose chart shows trend starts.
  const fallbackTf = defaultTimeframe(settings, pickedContract);
  const picker = {
    contractId: pickedContract,
    timeframe: requestedTf !== undefined && configured.includes(requestedTf) ? requestedTf : fallbackTf,
  };
  const base = { ...empty, contracts, timeframes: configured, picker, broadcaster: broadcasterEndpoint(settings) };

  let timeframe: string;
  let initialBars: number;
  try {
    timeframe = requestedTf === undefined ? fallbackTf : formatTimeframe(parseTimeframe(requestedTf, 'tf'));
    initialBars = parseInitialBars(first(params.bars));
  } catch (err) {
    if (err instanceof ValidationError) return { ...base, error: `Bad URL parameter ${err.message}` };
    throw err;
  }
  const timeframes = configured.includes(timeframe) ? configured : [...configured, timeframe];

  let contractId: string;
  if (requestedContract === undefined) {
    if (preferred === '') return { ...base, timeframes, error: 'No contracts in the database yet. Start the ingester, then reload.' };
    contractId = preferred;
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
    picker: { contractId, timeframe },
    selection: { contractId, timeframe, calendar: calendarSpec(settings, contract.session_calendar), initialBars },
  };
}
