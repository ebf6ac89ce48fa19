// The SMC rows of one study instance as stored (smc_events, zones), keyed like the runner's rows,
// and the comparison that decides whether a stored row must be rewritten.
import { smcTableOf, type SmcStudy, type SmcTableRow } from '@barstream/core';
import type pg from 'pg';
import type { SmcInstance } from './smc-instances.ts';

/** A row's identity within its instance (the tables' primary key minus the instance). */
export function smcRowKey(study: SmcStudy, barTime: number): string {
  return `${study}|${barTime}`;
}

const ms = (column: string): string => `(extract(epoch FROM ${column}) * 1000)::float8`;

const EVENTS = `SELECT study, kind, ${ms('bar_time')} AS bar_time, bar_index, direction, level, ${ms('broken_time')} AS broken_time,
  broken_index, confirmed FROM smc_events WHERE study_id = $1 AND contract_id = $2 AND timeframe = $3`;

const ZONES = `SELECT study, ${ms('bar_time')} AS bar_time, bar_index, side, top, bottom, ${ms('end_time')} AS end_time, end_index,
  ${ms('mitigated_time')} AS mitigated_time, mitigated_index, volume, percentage, confirmed
  FROM zones WHERE study_id = $1 AND contract_id = $2 AND timeframe = $3`;

interface EventRecord {
  study: 'swing_highs_lows' | 'bos_choch';
  kind: 'swing_high' | 'swing_low' | 'bos' | 'choch' | 'break';
  bar_time: number;
  bar_index: number;
  direction: -1 | 1 | null;
  level: number | null;
  broken_time: number | null;
  broken_index: number | null;
  confirmed: boolean;
}

interface ZoneRecord {
  study: 'fvg' | 'ob' | 'liquidity';
  bar_time: number;
  bar_index: number;
  side: -1 | 1;
  top: number;
  bottom: number;
  end_time: number | null;
  end_index: number | null;
  mitigated_time: number | null;
  mitigated_index: number | null;
  volume: number | null;
  percentage: number | null;
  confirmed: boolean;
}

/** Every stored row of the instance, by smcRowKey. */
export async function readStoredSmcRows(client: pg.ClientBase | pg.Pool, instance: SmcInstance): Promise<Map<string, SmcTableRow>> {
  const key = [instance.studyId, instance.contractId, instance.timeframeLabel];
  const out = new Map<string, SmcTableRow>();
  const events = await client.query<EventRecord>(EVENTS, key);
  for (const r of events.rows) {
    out.set(smcRowKey(r.study, r.bar_time), {
      table: 'smc_events',
      study: r.study,
      kind: r.kind,
      barTime: r.bar_time,
      barIndex: r.bar_index,
      direction: r.direction,
      level: r.level,
      brokenTime: r.broken_time,
      brokenIndex: r.broken_index,
      confirmed: r.confirmed,
    });
  }
  const zones = await client.query<ZoneRecord>(ZONES, key);
  for (const r of zones.rows) {
    out.set(smcRowKey(r.study, r.bar_time), {
      table: 'zones',
      study: r.study,
      barTime: r.bar_time,
      barIndex: r.bar_index,
      side: r.side,
      top: r.top,
      bottom: r.bottom,
      endTime: r.end_time,
      endIndex: r.end_index,
      mitigatedTime: r.mitigated_time,
      mitigatedIndex: r.mitigated_index,
      volume: r.volume,
      percentage: r.percentage,
      confirmed: r.confirmed,
    });
  }
  return out;
}

/** True when both rows would be stored identically. */
export function sameSmcRow(a: SmcTableRow, b: SmcTableRow): boolean {
  if (a.table !== b.table || a.study !== b.study || smcTableOf(a.study) !== a.table) return false;
  const fields = Object.keys(a) as (keyof SmcTableRow)[];
  return fields.every((f) => a[f] === b[f]);
}
