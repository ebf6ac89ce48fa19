// Browser-test helpers for the SMC drawing: real MES bars and their SMC rows seeded into a stack's
// database, and the chart's window.__barstreamSmc hook (web/lib/chart/smc/smc-test-hook.ts).
import type { Page } from '@playwright/test';
import type pg from 'pg';
import type { OhlcBar } from '../../core/src/bar.ts';
import { smcParams } from '../../core/src/smc/smc-params.ts';
import type { SmcTableRow } from '../../core/src/smc/smc-table-rows.ts';
import { readShared } from '../support/shared-data.ts';
import { insertSmcRows, smcFixtureRows, type SmcStudyKey } from '../support/smc-fixture.ts';

export const MES = 'CON.F.US.MES.M25';
export const STUDY_ID = 'e2e_smc';
/** Shorter than the library's 50: on a few hundred 4h bars it still finds structure worth reading. */
export const SWING_LENGTH = 10;

/** One of ../shared/data/mes's bar files (header names vary: the 5m file has an id column). */
export function readMesBars(file: string): OhlcBar[] {
  const [header, ...lines] = readShared(file).trim().split(/\r?\n/);
  const names = (header ?? '').split(',');
  const col = (name: string): number => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`${file}: no ${name} column`);
    return i;
  };
  const [t, o, h, l, c, v] = ['timestamp', 'open', 'high', 'low', 'close', 'volume'].map(col) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return lines
    .map((line) => line.split(','))
    .map((f) => ({
      time: Date.parse((f[t] ?? '').replace(' ', 'T')),
      open: Number(f[o]),
      high: Number(f[h]),
      low: Number(f[l]),
      close: Number(f[c]),
      volume: Number(f[v]),
    }))
    .sort((a, b) => a.time - b.time);
}

/** Stores `bars` as closed bars of MES and their SMC rows under STUDY_ID; returns the rows. */
export async function seedMes(
  db: pg.Client,
  timeframe: { label: string; unit: number; value: number },
  bars: readonly OhlcBar[],
): Promise<SmcTableRow[]> {
  await db.query(
    `INSERT INTO contracts (id, provider, symbol, name, tick_size, session_calendar)
     VALUES ($1, 'projectx', 'MES', 'Micro E-mini S&P 500 Jun 2025', 0.25, 'cme_globex') ON CONFLICT (id) DO NOTHING`,
    [MES],
  );
  await db.query(
    `INSERT INTO ohlc_bars (contract_id, "timestamp", open, high, low, close, volume, timeframe_unit, timeframe_value, timeframe, is_closed)
     SELECT $1, to_timestamp(b.time / 1000.0), b.open, b.high, b.low, b.close, b.volume, $2, $3, $4, true
     FROM jsonb_to_recordset($5::jsonb) AS b(time float8, open float8, high float8, low float8, close float8, volume float8)
     ON CONFLICT DO NOTHING`,
    [MES, timeframe.unit, timeframe.value, timeframe.label, JSON.stringify(bars)],
  );
  // The newest rows as provisional, as the live engine publishes them until later bars settle them
  // (a swing is final swing_length bars on): the picture then shows both looks.
  const settled = bars.length - 2 * SWING_LENGTH;
  const rows = smcFixtureRows(bars, smcParams({ swing_length: SWING_LENGTH })).map((r) =>
    r.barIndex >= settled ? { ...r, confirmed: false } : r,
  );
  const key: SmcStudyKey = { studyId: STUDY_ID, contractId: MES, timeframe: timeframe.label };
  await insertSmcRows(db, key, rows);
  return rows;
}

export interface HookScene {
  zones: { key: string; study: string; confirmed: boolean; active: boolean; label: string | null }[];
  segments: { key: string; kind: string; label: string | null }[];
  swings: { key: string; high: boolean }[];
}
export interface HookViewport {
  fromTime: number;
  toTime: number;
  topPrice: number;
  bottomPrice: number;
  barSpacing: number;
}
interface SmcHook {
  loads: number;
  zoneRows: number;
  eventRows: number;
  scene(): HookScene;
  viewport(): HookViewport | null;
}
type SmcWindow = Window & { __barstreamSmc?: SmcHook };

export function smcState(page: Page): Promise<{ loads: number; zoneRows: number; eventRows: number } | null> {
  return page.evaluate(() => {
    const h = (window as SmcWindow).__barstreamSmc;
    return h ? { loads: h.loads, zoneRows: h.zoneRows, eventRows: h.eventRows } : null;
  });
}

export function smcScene(page: Page): Promise<HookScene> {
  return page.evaluate(() => (window as SmcWindow).__barstreamSmc?.scene() ?? { zones: [], segments: [], swings: [] });
}

export function smcViewport(page: Page): Promise<HookViewport | null> {
  return page.evaluate(() => (window as SmcWindow).__barstreamSmc?.viewport() ?? null);
}

/** The chart's key of a row (web/lib/chart/smc/smc-chart-rows.ts): study instance, study, bar time. */
export const rowKey = (r: SmcTableRow): string => `${STUDY_ID}|${r.study}|${new Date(r.barTime).toISOString()}`;
