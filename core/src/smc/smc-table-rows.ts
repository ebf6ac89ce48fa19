// The library's rows as table rows: one SMC study row (its columns in the library's order) becomes a
// row of `smc_events` (swing_highs_lows, bos_choch) or `zones` (fvg, ob, liquidity), the shape
// migration 006 documents. An all-NaN row maps to undefined: the stored row, if any, is deleted.
import { SMC_STUDY_COLUMNS, type SmcStudy } from './smc-params.ts';

export type SmcEventKind = 'swing_high' | 'swing_low' | 'bos' | 'choch' | 'break';

/** A row of smc_events, without the study instance's key (study_id, contract_id, timeframe). */
export interface SmcEventRow {
  readonly table: 'smc_events';
  readonly study: 'swing_highs_lows' | 'bos_choch';
  readonly kind: SmcEventKind;
  /** Epoch ms of the library's row (bar_time) and its position in the study's window (bar_index). */
  readonly barTime: number;
  readonly barIndex: number;
  readonly direction: -1 | 1 | null;
  readonly level: number | null;
  readonly brokenTime: number | null;
  readonly brokenIndex: number | null;
  readonly confirmed: boolean;
}

/** A row of zones, without the study instance's key. */
export interface SmcZoneRow {
  readonly table: 'zones';
  readonly study: 'fvg' | 'ob' | 'liquidity';
  readonly barTime: number;
  readonly barIndex: number;
  readonly side: -1 | 1;
  readonly top: number;
  readonly bottom: number;
  readonly endTime: number | null;
  readonly endIndex: number | null;
  readonly mitigatedTime: number | null;
  readonly mitigatedIndex: number | null;
  readonly volume: number | null;
  readonly percentage: number | null;
  readonly confirmed: boolean;
}

export type SmcTableRow = SmcEventRow | SmcZoneRow;

export const SMC_EVENT_STUDIES = ['swing_highs_lows', 'bos_choch'] as const;
export const SMC_ZONE_STUDIES = ['fvg', 'ob', 'liquidity'] as const;

export function smcTableOf(study: SmcStudy): 'smc_events' | 'zones' {
  return (SMC_EVENT_STUDIES as readonly string[]).includes(study) ? 'smc_events' : 'zones';
}

/** Bar time (epoch ms) of a window position. */
export type BarTimeAt = (index: number) => number;

const num = (v: number | undefined): number | null => (v === undefined || Number.isNaN(v) ? null : v);
const sign = (v: number): -1 | 1 => (v > 0 ? 1 : -1);

/** A bar-position column: NaN → null; `zeroIsNone` for MitigatedIndex / Swept, whose 0 means "not (yet)". */
function position(v: number | undefined, zeroIsNone: boolean, timeAt: BarTimeAt): [number | null, number | null] {
  if (v === undefined || Number.isNaN(v) || (zeroIsNone && v === 0)) return [null, null];
  return [timeAt(v), v];
}

/**
 * Maps row `row` of `study` (values in SMC_STUDY_COLUMNS[study] order) to its table row, or undefined
 * when the library's row is empty (every column NaN) and nothing is stored for it.
 */
export function smcTableRow(
  study: SmcStudy,
  row: number,
  values: readonly number[],
  confirmed: boolean,
  timeAt: BarTimeAt,
): SmcTableRow | undefined {
  if (values.length !== SMC_STUDY_COLUMNS[study].length) {
    throw new RangeError(`${study} row ${row}: expected ${SMC_STUDY_COLUMNS[study].length} values, got ${values.length}`);
  }
  if (values.every((v) => Number.isNaN(v))) return undefined;
  const barTime = timeAt(row);
  switch (study) {
    case 'swing_highs_lows': {
      const [highLow, level] = values as [number, number];
      return event(study, highLow > 0 ? 'swing_high' : 'swing_low', barTime, row, sign(highLow), num(level), [null, null], confirmed);
    }
    case 'bos_choch': {
      const [bos, choch, level, broken] = values as [number, number, number, number];
      const brokenAt = position(broken, false, timeAt);
      if (!Number.isNaN(bos)) return event(study, 'bos', barTime, row, sign(bos), num(level), brokenAt, confirmed);
      if (!Number.isNaN(choch)) return event(study, 'choch', barTime, row, sign(choch), num(level), brokenAt, confirmed);
      return event(study, 'break', barTime, row, null, num(level), brokenAt, confirmed);
    }
    case 'fvg': {
      const [dir, top, bottom, mitigated] = values as [number, number, number, number];
      return zone(study, barTime, row, sign(dir), top, bottom, [null, null], position(mitigated, true, timeAt), null, null, confirmed);
    }
    case 'ob': {
      const [dir, top, bottom, volume, mitigated, percentage] = values as [number, number, number, number, number, number];
      return zone(
        study,
        barTime,
        row,
        sign(dir),
        top,
        bottom,
        [null, null],
        position(mitigated, true, timeAt),
        num(volume),
        num(percentage),
        confirmed,
      );
    }
    case 'liquidity': {
      const [dir, level, end, swept] = values as [number, number, number, number];
      return zone(
        study,
        barTime,
        row,
        sign(dir),
        level,
        level,
        position(end, false, timeAt),
        position(swept, true, timeAt),
        null,
        null,
        confirmed,
      );
    }
  }
}

function event(
  study: SmcEventRow['study'],
  kind: SmcEventKind,
  barTime: number,
  barIndex: number,
  direction: -1 | 1 | null,
  level: number | null,
  [brokenTime, brokenIndex]: [number | null, number | null],
  confirmed: boolean,
): SmcEventRow {
  return { table: 'smc_events', study, kind, barTime, barIndex, direction, level, brokenTime, brokenIndex, confirmed };
}

function zone(
  study: SmcZoneRow['study'],
  barTime: number,
  barIndex: number,
  side: -1 | 1,
  top: number,
  bottom: number,
  [endTime, endIndex]: [number | null, number | null],
  [mitigatedTime, mitigatedIndex]: [number | null, number | null],
  volume: number | null,
  percentage: number | null,
  confirmed: boolean,
): SmcZoneRow {
  return {
    table: 'zones',
    study,
    barTime,
    barIndex,
    side,
    top,
    bottom,
    endTime,
    endIndex,
    mitigatedTime,
    mitigatedIndex,
    volume,
    percentage,
    confirmed,
  };
}
