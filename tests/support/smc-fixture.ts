// SMC rows for tests that read smc_events / zones before the analyzer writes them: the batch answer
// of smcBatch over the given bars, mapped by smcTableRow (the analyzer's own mapping), inserted in one
// statement per table.
import type pg from 'pg';
import type { OhlcBar } from '../../core/src/bar.ts';
import { toSmcBars } from '../../core/src/smc/smc-bars.ts';
import { smcBatch } from '../../core/src/smc/smc-batch.ts';
import { SMC_STUDIES, SMC_STUDY_COLUMNS, smcParams, type SmcParams } from '../../core/src/smc/smc-params.ts';
import { type SmcEventRow, smcTableRow, type SmcTableRow, type SmcZoneRow } from '../../core/src/smc/smc-table-rows.ts';

export interface SmcStudyKey {
  readonly studyId: string;
  readonly contractId: string;
  readonly timeframe: string;
}

/** Every row the library's batch answer holds over `bars` (the window starts at bars[0]). */
export function smcFixtureRows(bars: readonly OhlcBar[], params: SmcParams = smcParams(), confirmed = true): SmcTableRow[] {
  const batch = smcBatch(toSmcBars(bars), params);
  const timeAt = (i: number): number => {
    const bar = bars[i];
    if (!bar) throw new RangeError(`bar index ${i} outside the ${bars.length} bars`);
    return bar.time;
  };
  const rows: SmcTableRow[] = [];
  for (const study of SMC_STUDIES) {
    const columns = SMC_STUDY_COLUMNS[study].map((c) => (batch[study] as Record<string, Float64Array>)[c] as Float64Array);
    for (let i = 0; i < bars.length; i++) {
      const row = smcTableRow(
        study,
        i,
        columns.map((col) => col[i] as number),
        confirmed,
        timeAt,
      );
      if (row) rows.push(row);
    }
  }
  return rows;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Inserts `rows` under `key` (replacing rows with the same key). */
export async function insertSmcRows(db: pg.Client | pg.Pool, key: SmcStudyKey, rows: readonly SmcTableRow[]): Promise<void> {
  const events = rows.filter((r): r is SmcEventRow => r.table === 'smc_events');
  const zones = rows.filter((r): r is SmcZoneRow => r.table === 'zones');
  await db.query(
    `INSERT INTO smc_events (study_id, contract_id, timeframe, study, kind, bar_time, bar_index, direction, level, broken_time, broken_index, confirmed)
     SELECT $1, $2, $3, r.study, r.kind, r.bar_time, r.bar_index, r.direction, r.level, r.broken_time, r.broken_index, r.confirmed
     FROM jsonb_to_recordset($4::jsonb) AS r(study text, kind text, bar_time timestamptz, bar_index int, direction smallint,
       level float8, broken_time timestamptz, broken_index int, confirmed boolean)
     ON CONFLICT (study_id, contract_id, timeframe, study, bar_time) DO UPDATE SET kind = EXCLUDED.kind, level = EXCLUDED.level,
       direction = EXCLUDED.direction, broken_time = EXCLUDED.broken_time, broken_index = EXCLUDED.broken_index, confirmed = EXCLUDED.confirmed`,
    [
      key.studyId,
      key.contractId,
      key.timeframe,
      JSON.stringify(
        events.map((e) => ({
          study: e.study,
          kind: e.kind,
          bar_time: iso(e.barTime),
          bar_index: e.barIndex,
          direction: e.direction,
          level: e.level,
          broken_time: iso(e.brokenTime),
          broken_index: e.brokenIndex,
          confirmed: e.confirmed,
        })),
      ),
    ],
  );
  await db.query(
    `INSERT INTO zones (study_id, contract_id, timeframe, study, bar_time, bar_index, side, top, bottom, end_time, end_index,
       mitigated_time, mitigated_index, volume, percentage, confirmed)
     SELECT $1, $2, $3, r.study, r.bar_time, r.bar_index, r.side, r.top, r.bottom, r.end_time, r.end_index,
       r.mitigated_time, r.mitigated_index, r.volume, r.percentage, r.confirmed
     FROM jsonb_to_recordset($4::jsonb) AS r(study text, bar_time timestamptz, bar_index int, side smallint, top float8, bottom float8,
       end_time timestamptz, end_index int, mitigated_time timestamptz, mitigated_index int, volume float8, percentage float8, confirmed boolean)
     ON CONFLICT (study_id, contract_id, timeframe, study, bar_time) DO UPDATE SET side = EXCLUDED.side, top = EXCLUDED.top,
       bottom = EXCLUDED.bottom, mitigated_time = EXCLUDED.mitigated_time, mitigated_index = EXCLUDED.mitigated_index, confirmed = EXCLUDED.confirmed`,
    [
      key.studyId,
      key.contractId,
      key.timeframe,
      JSON.stringify(
        zones.map((z) => ({
          study: z.study,
          bar_time: iso(z.barTime),
          bar_index: z.barIndex,
          side: z.side,
          top: z.top,
          bottom: z.bottom,
          end_time: iso(z.endTime),
          end_index: z.endIndex,
          mitigated_time: iso(z.mitigatedTime),
          mitigated_index: z.mitigatedIndex,
          volume: z.volume,
          percentage: z.percentage,
          confirmed: z.confirmed,
        })),
      ),
    ],
  );
}
