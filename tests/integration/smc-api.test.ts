// /api/smc/events and /api/smc/zones on a real PostgreSQL: the rows the handlers read (through Prisma,
// as the routes do) for ranges, the active filter, kinds and studies, limits and study instances.
// Rows: the SMC batch answer over synthetic bars (tests/support/smc-fixture.ts), plus hand-made zones
// whose lives straddle a range edge.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smcParams } from '../../core/src/smc/smc-params.ts';
import type { SmcEventRow, SmcTableRow, SmcZoneRow } from '../../core/src/smc/smc-table-rows.ts';
import { createPrismaClient, type PrismaClient } from '../../prisma/prisma-client.ts';
import { parseQuery } from '../../web/lib/api/parse-query.ts';
import { apiRoutes } from '../../web/lib/api/routes.ts';
import { readSmcEvents, readSmcZones } from '../../web/lib/queries/smc-rows.ts';
import { insertSmcRows, smcFixtureRows } from '../support/smc-fixture.ts';
import { syntheticBars } from '../support/synthetic-bars.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 5, 2, 14, 0);
const BARS = syntheticBars(2_000, { start: T0, stepMs: 5 * MINUTE, seed: 7 });
const KEY = { studyId: 'smc_default', contractId: 'C.SMC', timeframe: '5m' };
const at = (i: number): number => BARS[i]!.time;

let database: TestDatabase;
let prisma: PrismaClient;
let client: pg.Client;
let rows: SmcTableRow[];
let events: SmcEventRow[];
let zones: SmcZoneRow[];

const events$ = (query: string) => readSmcEvents(prisma, parseQuery(apiRoutes.smcEvents.query, new URLSearchParams(query)));
const zones$ = (query: string) => readSmcZones(prisma, parseQuery(apiRoutes.smcZones.query, new URLSearchParams(query)));
const BASE = 'contract_id=C.SMC&timeframe=5m&limit=50000';
const isoOf = (ms: number): string => new Date(ms).toISOString();
const keyOf = (r: { study: string; bar_time: string }): string => `${r.study}@${r.bar_time}`;
const rowKey = (r: SmcTableRow): string => `${r.study}@${isoOf(r.barTime)}`;

/** Hand-made fvg zones of study instance 'edges', around the range [bar 1000, bar 1100]. */
const EDGE_ZONES: SmcZoneRow[] = [
  [900, 1050], // created before, mitigated inside: overlaps
  [901, null], // created before, still active: overlaps
  [902, 999], // created and mitigated before: outside
  [903, 1000], // mitigated exactly at `from`: overlaps
  [1050, null], // inside, active
  [1101, null], // after `to`: outside
].map(([created, mitigated]) => ({
  table: 'zones',
  study: 'fvg',
  barTime: at(created!),
  barIndex: created!,
  side: 1,
  top: 5010,
  bottom: 5000,
  endTime: null,
  endIndex: null,
  mitigatedTime: mitigated === null ? null : at(mitigated!),
  mitigatedIndex: mitigated ?? null,
  volume: null,
  percentage: null,
  confirmed: true,
}));

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient(database.url, { max: 2 });
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(`INSERT INTO contracts (id, provider, symbol) VALUES ('C.SMC', 'simulated', 'SMC')`);
  rows = smcFixtureRows(BARS, smcParams({ swing_length: 10 }));
  events = rows.filter((r): r is SmcEventRow => r.table === 'smc_events');
  zones = rows.filter((r): r is SmcZoneRow => r.table === 'zones');
  await insertSmcRows(client, KEY, rows);
  await insertSmcRows(client, { ...KEY, studyId: 'edges' }, EDGE_ZONES);
  // Another timeframe's rows must never leak into 5m answers.
  await insertSmcRows(client, { ...KEY, timeframe: '1h' }, rows.slice(0, 50));
});

afterAll(async () => {
  await client?.end();
  await prisma?.$disconnect();
  await database?.drop();
});

describe('the fixture', () => {
  it('holds every kind of row the chart draws', () => {
    const kinds = new Set(rows.map((r) => (r.table === 'smc_events' ? r.kind : r.study)));
    for (const k of ['swing_high', 'swing_low', 'bos', 'choch', 'fvg', 'ob', 'liquidity']) expect(kinds, k).toContain(k);
  });
});

describe('/api/smc/events', () => {
  it('returns every row of the contract and timeframe, oldest first, times as ISO strings', async () => {
    const got = await events$(`${BASE}&study_id=smc_default`);
    expect(got).toHaveLength(events.length);
    expect(got.map((e) => e.bar_time)).toEqual([...got.map((e) => e.bar_time)].sort());
    const bos = events.find((e) => e.kind === 'bos')!;
    expect(got.find((e) => e.kind === 'bos' && e.bar_time === isoOf(bos.barTime))).toEqual({
      study_id: 'smc_default',
      study: 'bos_choch',
      kind: 'bos',
      bar_time: isoOf(bos.barTime),
      bar_index: bos.barIndex,
      direction: bos.direction,
      level: bos.level,
      broken_time: isoOf(bos.brokenTime!),
      broken_index: bos.brokenIndex,
      confirmed: true,
    });
  });

  it('filters by kind', async () => {
    const got = await events$(`${BASE}&kind=bos,choch`);
    expect(got.length).toBe(events.filter((e) => e.kind === 'bos' || e.kind === 'choch').length);
    expect(new Set(got.map((e) => e.kind))).toEqual(new Set(['bos', 'choch']));
  });

  it('returns a break whose span from swing to break overlaps the range', async () => {
    const from = at(1000);
    const to = at(1100);
    const want = events.filter((e) => e.barTime <= to && (e.barTime >= from || (e.brokenTime ?? -Infinity) >= from));
    const got = await events$(`${BASE}&from=${from}&to=${isoOf(to)}`);
    expect(got.map(keyOf).sort()).toEqual(want.map(rowKey).sort());
    expect(want.some((e) => e.barTime < from)).toBe(true); // the overlap case occurs in the data
  });

  it('gives the newest `limit` rows, still oldest first', async () => {
    const got = await events$(`contract_id=C.SMC&timeframe=5m&study_id=smc_default&limit=5`);
    const newest = [...events].sort((a, b) => a.barTime - b.barTime).slice(-5);
    expect(got.map((e) => e.bar_time)).toEqual(newest.map((e) => isoOf(e.barTime)));
  });

  it('reads only the timeframe asked for', async () => {
    expect(await events$('contract_id=C.SMC&timeframe=1h&limit=50000')).toHaveLength(
      rows.slice(0, 50).filter((r) => r.table === 'smc_events').length,
    );
  });
});

describe('/api/smc/zones', () => {
  it('returns zones whose life overlaps the range: created before `from` and active, or mitigated at or after it', async () => {
    const got = await zones$(`${BASE}&study_id=edges&from=${isoOf(at(1000))}&to=${isoOf(at(1100))}`);
    expect(got.map((z) => z.bar_index)).toEqual([900, 901, 903, 1050]);
  });

  it('agrees with the same rule over the library rows', async () => {
    const from = at(1000);
    const to = at(1100);
    const want = zones.filter((z) => z.barTime <= to && (z.barTime >= from || z.mitigatedTime === null || z.mitigatedTime >= from));
    const got = await zones$(`${BASE}&study_id=smc_default&from=${from}&to=${to}`);
    expect(got.map(keyOf).sort()).toEqual(want.map(rowKey).sort());
    expect(want.some((z) => z.barTime < from)).toBe(true);
  });

  it('active=true keeps unmitigated zones only, active=false mitigated ones only', async () => {
    const active = await zones$(`${BASE}&study_id=smc_default&active=true`);
    const mitigated = await zones$(`${BASE}&study_id=smc_default&active=false`);
    expect(active.length).toBe(zones.filter((z) => z.mitigatedTime === null).length);
    expect(mitigated.length).toBe(zones.filter((z) => z.mitigatedTime !== null).length);
    expect(active.length).toBeGreaterThan(0);
    expect(mitigated.length).toBeGreaterThan(0);
    expect(active.every((z) => z.mitigated_time === null)).toBe(true);
    expect(mitigated.every((z) => z.mitigated_time !== null)).toBe(true);
    const edges = await zones$(`${BASE}&study_id=edges&active=true&from=${at(1000)}&to=${at(1100)}`);
    expect(edges.map((z) => z.bar_index)).toEqual([901, 1050]);
  });

  it('filters by study', async () => {
    const got = await zones$(`${BASE}&study_id=smc_default&study=ob,liquidity`);
    expect(got.length).toBe(zones.filter((z) => z.study !== 'fvg').length);
    expect(new Set(got.map((z) => z.study))).toEqual(new Set(['ob', 'liquidity']));
    const ob = got.find((z) => z.study === 'ob')!;
    expect(ob.volume).not.toBeNull();
    expect(ob.percentage).not.toBeNull();
  });

  it('without study_id reads every study instance', async () => {
    expect(await zones$(BASE)).toHaveLength(zones.length + EDGE_ZONES.length);
  });
});

describe('bad parameters', () => {
  it.each([
    ['smcZones', 'active=yes', 'active', /active: must be true or false/],
    ['smcZones', 'study=fvg,obx', 'study', /'obx' is not one of fvg, ob, liquidity/],
    ['smcEvents', 'kind=bos,swing', 'kind', /'swing' is not one of swing_high/],
    ['smcEvents', 'kind=,', 'kind', /kind: must list one or more of swing_high/],
    ['smcEvents', 'from=2025-06-03&to=2025-06-01', 'from', /must not be after to/],
    ['smcEvents', 'study_id=a b', 'study_id', /letters, digits/],
    ['smcZones', 'limit=0', 'limit', /limit/],
    ['smcZones', 'kind=bos', 'kind', /unknown parameter/],
    ['smcEvents', 'active=true', 'active', /unknown parameter/],
  ] as const)('%s ?%s → 400 naming %s', (route, extra, field, message) => {
    const parse = () => parseQuery(apiRoutes[route].query, new URLSearchParams(`contract_id=C.SMC&timeframe=5m&${extra}`));
    expect(parse).toThrow(message);
    try {
      parse();
    } catch (err) {
      expect((err as { field?: string }).field).toBe(field);
    }
  });
});
