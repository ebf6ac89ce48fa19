// Writes an SMC study instance's changed rows (upsert changed, delete emptied), its progress
// (smc_study_state) and the smc_update NOTIFY in one transaction: a notification is only delivered for
// rows that committed, and the progress never runs ahead of the rows.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { channels, type SmcEventRow, type SmcStudy, type SmcTableRow, type SmcUpdateMessage, type SmcZoneRow } from '@barstream/core';
import { BinaryCopyWriter, inTransaction, notifyAll, type Pool } from '@barstream/core/node';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type SmcInstance, windowSpec } from './smc-instances.ts';

export interface SmcRowDelete {
  readonly table: 'smc_events' | 'zones';
  readonly study: SmcStudy;
  readonly barTime: number;
}

export interface SmcWrite {
  readonly upserts: readonly SmcTableRow[];
  readonly deletes: readonly SmcRowDelete[];
  /** The window's first bar (undefined: not resolved yet) and the last bar the rows now reflect. */
  readonly firstBarTime: number | undefined;
  readonly through: number | undefined;
  /** No row of the instance is stored: upserts are COPYed straight in (a backfill). */
  readonly fresh?: boolean;
}

const EVENT_COLUMNS = `study_id, contract_id, timeframe, study, kind, bar_time, bar_index, direction, level, broken_time, broken_index, confirmed`;
const ZONE_COLUMNS = `study_id, contract_id, timeframe, study, bar_time, bar_index, side, top, bottom, end_time, end_index,
  mitigated_time, mitigated_index, volume, percentage, confirmed`;

const STAGE = `CREATE TEMP TABLE IF NOT EXISTS smc_events_stage (LIKE smc_events INCLUDING DEFAULTS) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS zones_stage (LIKE zones INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`;

const UPSERT_EVENTS = `INSERT INTO smc_events (${EVENT_COLUMNS}) SELECT ${EVENT_COLUMNS} FROM smc_events_stage
ON CONFLICT (study_id, contract_id, timeframe, study, bar_time) DO UPDATE SET kind = EXCLUDED.kind, bar_index = EXCLUDED.bar_index,
  direction = EXCLUDED.direction, level = EXCLUDED.level, broken_time = EXCLUDED.broken_time, broken_index = EXCLUDED.broken_index,
  confirmed = EXCLUDED.confirmed, updated_at = now()`;

const UPSERT_ZONES = `INSERT INTO zones (${ZONE_COLUMNS}) SELECT ${ZONE_COLUMNS} FROM zones_stage
ON CONFLICT (study_id, contract_id, timeframe, study, bar_time) DO UPDATE SET bar_index = EXCLUDED.bar_index, side = EXCLUDED.side,
  top = EXCLUDED.top, bottom = EXCLUDED.bottom, end_time = EXCLUDED.end_time, end_index = EXCLUDED.end_index,
  mitigated_time = EXCLUDED.mitigated_time, mitigated_index = EXCLUDED.mitigated_index, volume = EXCLUDED.volume,
  percentage = EXCLUDED.percentage, confirmed = EXCLUDED.confirmed, updated_at = now()`;

const deleteRows = (table: 'smc_events' | 'zones'): string =>
  `DELETE FROM ${table} WHERE study_id = $1 AND contract_id = $2 AND timeframe = $3
    AND (study, bar_time) IN (SELECT s, to_timestamp(t / 1000) FROM unnest($4::text[], $5::float8[]) AS d(s, t))`;

const UPSERT_STATE = `INSERT INTO smc_study_state (study_id, contract_id, timeframe, window_spec, first_bar_time, through, updated_at)
VALUES ($1, $2, $3, $4, to_timestamp($5::float8 / 1000), to_timestamp($6::float8 / 1000), now())
ON CONFLICT (study_id, contract_id, timeframe) DO UPDATE SET window_spec = EXCLUDED.window_spec,
  first_bar_time = EXCLUDED.first_bar_time, through = EXCLUDED.through, updated_at = now()`;

/** Applies `write` for `instance`; returns how many rows of each table changed (and were notified). */
export async function writeSmcRows(pool: Pool, instance: SmcInstance, write: SmcWrite): Promise<{ events: number; zones: number }> {
  const key = [instance.studyId, instance.contractId, instance.timeframeLabel];
  const events = write.upserts.filter((r): r is SmcEventRow => r.table === 'smc_events');
  const zones = write.upserts.filter((r): r is SmcZoneRow => r.table === 'zones');
  return inTransaction(pool, async (client) => {
    for (const table of ['smc_events', 'zones'] as const) {
      const gone = write.deletes.filter((d) => d.table === table);
      if (gone.length > 0) await client.query(deleteRows(table), [...key, gone.map((d) => d.study), gone.map((d) => d.barTime)]);
    }
    if (write.fresh) {
      if (events.length > 0) await copyInto(client, 'smc_events', EVENT_COLUMNS, eventCopy(instance, events));
      if (zones.length > 0) await copyInto(client, 'zones', ZONE_COLUMNS, zoneCopy(instance, zones));
    } else if (events.length + zones.length > 0) {
      await client.query(STAGE);
      if (events.length > 0) {
        await copyInto(client, 'smc_events_stage', EVENT_COLUMNS, eventCopy(instance, events));
        await client.query(UPSERT_EVENTS);
      }
      if (zones.length > 0) {
        await copyInto(client, 'zones_stage', ZONE_COLUMNS, zoneCopy(instance, zones));
        await client.query(UPSERT_ZONES);
      }
    }
    await client.query(UPSERT_STATE, [...key, windowSpec(instance), write.firstBarTime ?? null, write.through ?? null]);
    const counts = {
      events: events.length + write.deletes.filter((d) => d.table === 'smc_events').length,
      zones: zones.length + write.deletes.filter((d) => d.table === 'zones').length,
    };
    if (counts.events + counts.zones > 0 && write.through !== undefined) {
      let from = Infinity;
      for (const r of write.upserts) from = Math.min(from, r.barTime);
      for (const d of write.deletes) from = Math.min(from, d.barTime);
      const message: SmcUpdateMessage = channels.smcUpdate.schema.parse({
        type: 'smc_update',
        study_id: instance.studyId,
        contract_id: instance.contractId,
        timeframe: instance.timeframeLabel,
        through: new Date(write.through).toISOString(),
        from: new Date(from).toISOString(),
        ...counts,
      });
      await notifyAll(client, 'smcUpdate', [JSON.stringify(message)]);
    }
    return counts;
  });
}

async function copyInto(client: pg.ClientBase, table: string, columns: string, chunks: Buffer[]): Promise<void> {
  await pipeline(Readable.from(chunks), client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN (FORMAT binary)`)));
}

function instanceFields(w: BinaryCopyWriter, instance: SmcInstance): BinaryCopyWriter {
  return w.text(instance.studyId).text(instance.contractId).text(instance.timeframeLabel);
}

const optInt4 = (w: BinaryCopyWriter, v: number | null): BinaryCopyWriter => (v === null ? w.null() : w.int4(v));
const optTime = (w: BinaryCopyWriter, v: number | null): BinaryCopyWriter => (v === null ? w.null() : w.timestamptz(v));
const optFloat = (w: BinaryCopyWriter, v: number | null): BinaryCopyWriter => (v === null ? w.null() : w.float8(v));

function eventCopy(instance: SmcInstance, rows: readonly SmcEventRow[]): Buffer[] {
  const w = new BinaryCopyWriter();
  for (const r of rows) {
    instanceFields(w.row(12), instance).text(r.study).text(r.kind).timestamptz(r.barTime).int4(r.barIndex);
    if (r.direction === null) w.null();
    else w.int2(r.direction);
    optFloat(w, r.level);
    optTime(w, r.brokenTime);
    optInt4(w, r.brokenIndex);
    w.bool(r.confirmed);
  }
  return w.finish();
}

function zoneCopy(instance: SmcInstance, rows: readonly SmcZoneRow[]): Buffer[] {
  const w = new BinaryCopyWriter();
  for (const r of rows) {
    instanceFields(w.row(16), instance).text(r.study).timestamptz(r.barTime).int4(r.barIndex).int2(r.side).float8(r.top).float8(r.bottom);
    optTime(w, r.endTime);
    optInt4(w, r.endIndex);
    optTime(w, r.mitigatedTime);
    optInt4(w, r.mitigatedIndex);
    optFloat(w, r.volume);
    optFloat(w, r.percentage);
    w.bool(r.confirmed);
  }
  return w.finish();
}
