// Everything /runs/[id] shows, read on the server: the run and its report, a page of trades, the
// latest orders, positions, fills and equity points, and the bars of the price chart.
import 'server-only';
import { NotFoundError, parseTimeframe, ValidationError } from '@barstream/core';
import { MAX_LIMIT } from '../api/query-fields.ts';
import type {
  RecordPage,
  RunDetailResponse,
  WireEquityPoint,
  WireFill,
  WireOrder,
  WirePosition,
  WireTrade,
} from '../api/trading-schemas.ts';
import type { BroadcasterEndpoint } from '../chart/broadcaster-endpoint.ts';
import { idParameter } from '../api/write-handler.ts';
import { runEquity, runFills, runOrders, runPositions, runTrades } from '../queries/run-records.ts';
import { readRun } from '../queries/runs.ts';
import { db } from '../server/db.ts';
import { webConfig } from '../server/config.ts';
import { readNewestBars, type StoredBar } from '../server/stored-bars.ts';
import { broadcasterEndpoint } from '../trends-view.ts';

export const TRADES_PER_PAGE = 50;
/** Orders shown (the newest); SL/TP lines come from them. */
export const ORDERS_SHOWN = 200;
/** Candles on the price chart: the end of the run's range. */
export const PRICE_BARS = 2_000;
/** Fills read for markers: the newest, enough for the candles shown. */
export const MARKER_FILLS = 5_000;

export interface RunPage {
  readonly detail: RunDetailResponse;
  readonly trades: RecordPage<WireTrade>;
  readonly tradesPage: number;
  readonly orders: RecordPage<WireOrder>;
  readonly positions: WirePosition[];
  readonly fills: WireFill[];
  readonly equity: RecordPage<WireEquityPoint>;
  readonly bars: StoredBar[];
  readonly broadcaster: BroadcasterEndpoint;
}

/** The newest `limit` rows of a paged record: read the total, then the last page. */
async function newest<T>(read: (offset: number, limit: number) => Promise<RecordPage<T>>, limit: number): Promise<RecordPage<T>> {
  const head = await read(0, 1);
  return head.total <= 1 ? head : read(Math.max(0, head.total - limit), limit);
}

export function parseTradesPage(text: string | undefined): number {
  if (text === undefined) return 1;
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1) throw new ValidationError('page', `'${text}' is not a page number`);
  return Number(text);
}

/** undefined: no such run (the page answers 404). */
export async function loadRunPage(idText: string, pageText: string | undefined): Promise<RunPage | undefined> {
  let runId: bigint;
  try {
    runId = idParameter(idText);
  } catch {
    return undefined;
  }
  const prisma = db();
  let detail: RunDetailResponse;
  try {
    detail = await readRun(prisma, runId);
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
  const tradesPage = parseTradesPage(pageText);
  const page = (offset: number, limit: number) => ({ runId, offset, limit });
  const { run } = detail;
  const timeframe = parseTimeframe(run.timeframe);
  const [trades, orders, positions, fills, equity, bars] = await Promise.all([
    runTrades(prisma, page((tradesPage - 1) * TRADES_PER_PAGE, TRADES_PER_PAGE)),
    newest((o, l) => runOrders(prisma, page(o, l)), ORDERS_SHOWN),
    runPositions(prisma, page(0, 100)),
    newest((o, l) => runFills(prisma, page(o, l)), MARKER_FILLS),
    newest((o, l) => runEquity(prisma, page(o, l)), MAX_LIMIT),
    readNewestBars(prisma, {
      contractId: run.contract_id,
      timeframe,
      fromMs: run.range_from === null ? undefined : Date.parse(run.range_from),
      toMs: run.range_to === null ? undefined : Date.parse(run.range_to) - 1,
      limit: PRICE_BARS,
    }),
  ]);
  return {
    detail,
    trades,
    tradesPage,
    orders,
    positions: positions.items,
    fills: fills.items,
    equity,
    bars,
    broadcaster: broadcasterEndpoint(webConfig().settings),
  };
}
