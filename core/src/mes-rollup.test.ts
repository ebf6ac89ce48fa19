// Rolling the vendor's 5m bars up through the live aggregator reproduces the vendor's 1h/4h/1d bars,
// with the plain CME calendar (time zone + open) and with the exchange calendar (hours, holidays).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BarAggregator } from './bar-aggregator.ts';
import { barTradePath } from './bar-trade-path.ts';
import type { ContractBar } from './schemas/bar-message.ts';
import { exchangeCalendarSpecByName } from './calendars/calendar-specs.ts';
import { CME_CALENDAR, SessionCalendar, type SessionCalendarSpec } from './session-calendar.ts';
import { parseMesCsv } from './strategies/mes-csv.ts';
import { parseTimeframe } from './timeframe.ts';

const dir = fileURLToPath(new URL('../../../shared/data/mes/', import.meta.url));
const present = existsSync(dir);
if (!present) console.warn(`skipping MES rollup test: ${dir} not found`);

const read = (f: string) => parseMesCsv(readFileSync(`${dir}${f}`, 'utf8')).bars;
const CALENDARS: ReadonlyArray<readonly [string, SessionCalendarSpec]> = [
  ['cme_globex, time zone and open only', CME_CALENDAR],
  ['cme_equity_futures, exchange hours', exchangeCalendarSpecByName('cme_equity_futures') as SessionCalendarSpec],
];

describe.skipIf(!present).each(CALENDARS)('MES 5m rollup (real vendor data), %s', (_label, spec) => {
  const calendar = new SessionCalendar(spec);
  // The describe body runs at collection even when skipped: read nothing then.
  const five = present ? read('MES_M25_5m.csv') : [];
  const agg = new BarAggregator({
    timeframes: ['5m', '1h', '4h', '1d'].map((t) => parseTimeframe(t)),
    calendarFor: () => calendar,
    graceMs: 0,
  });
  const out = new Map<string, ContractBar>();
  for (const bar of five) {
    for (const t of barTradePath('MES', bar, bar.time, bar.time + 300_000)) {
      expect(agg.addTrade(t, t.time)).toBe('accepted');
    }
    agg.advance(bar.time);
    for (const b of agg.drain()) out.set(`${b.unit}|${b.value}|${b.time}`, b);
  }
  agg.advance(Number.MAX_SAFE_INTEGER);
  for (const b of agg.drain()) out.set(`${b.unit}|${b.value}|${b.time}`, b);
  const lastEnd = (five[five.length - 1]?.time ?? 0) + 300_000;

  it('reproduces every 5m bar', () => {
    for (const bar of five) {
      expect(out.get(`2|5|${bar.time}`)).toMatchObject({
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        volume: bar.volume,
        isClosed: true,
      });
    }
  });

  // The vendor's own files disagree in a handful of places: the 5m file misses a few bars (46 gaps)
  // and the vendor's 1h history lost most of two hours (e.g. 2025-05-01 15:00 has volume 372). So:
  // wherever both sides saw the same trades (equal volume) OHLC must be identical, and a bar may
  // differ only where the volumes show the underlying data differs.
  for (const [file, tf] of [
    ['MES_M25_1h.csv', '1h'],
    ['MES_M25_4h.csv', '4h'],
    ['MES_M25_1d.csv', '1d'],
  ] as const) {
    it(`reproduces the vendor's ${tf} bars wherever both saw the same trades`, () => {
      const t = parseTimeframe(tf);
      const vendor = read(file).filter((v) => calendar.bucket(v.time, t).to <= lastEnd);
      expect(vendor.length).toBeGreaterThan(tf === '1d' ? 30 : 200);
      const mismatched: string[] = [];
      for (const v of vendor) {
        // A daily bar's label (trade date 00:00 UTC) lies inside its session, so bucket() finds it.
        const ours = out.get(`${t.unit}|${t.value}|${calendar.bucket(v.time, t).time}`);
        expect(ours, `${tf} bar ${new Date(v.time).toISOString()}`).toBeDefined();
        const same = ours?.open === v.open && ours.high === v.high && ours.low === v.low && ours.close === v.close;
        if (same) continue;
        mismatched.push(new Date(v.time).toISOString());
        expect(ours?.volume, `${tf} ${new Date(v.time).toISOString()} differs although volumes agree`).not.toBe(v.volume);
      }
      expect(mismatched.length).toBeLessThanOrEqual(Math.ceil(vendor.length * 0.01) + 1);
    });
  }
});

describe.skipIf(!present)('MES trade dates over holiday weekends (real vendor data, exchange calendar)', () => {
  const calendar = new SessionCalendar(exchangeCalendarSpecByName('cme_equity_futures') as SessionCalendarSpec);
  const fourHour = present ? read('MES_M25_4h.csv').sort((a, b) => a.time - b.time) : [];
  const daily = present ? read('MES_M25_1d.csv') : [];

  it('labels every vendor 4h bar where the calendar puts it, after the Memorial Day halt too', () => {
    const h4 = parseTimeframe('4h');
    const wrong = fourHour.filter((v) => calendar.bucket(v.time, h4).time !== v.time).map((v) => new Date(v.time).toISOString());
    expect(wrong).toEqual([]);
    expect(fourHour.some((v) => v.time === Date.parse('2025-05-26T22:00:00Z'))).toBe(true);
  });

  // The 4h file runs past Memorial Day 2025 (the 5m file does not): grouping its bars by the
  // calendar's trade date must give the vendor's daily bars, the Sunday-evening and Monday-morning
  // holiday trading included in Tuesday 2025-05-27's bar, and Good Friday's weekend in Monday's.
  it("groups the vendor's 4h bars into the vendor's daily bars by trade date", () => {
    const byDate = new Map<number, { open: number; high: number; low: number; close: number }>();
    for (const v of fourHour) {
      const date = calendar.bucket(v.time, parseTimeframe('1d')).time;
      const day = byDate.get(date);
      if (!day) byDate.set(date, { open: v.open, high: v.high, low: v.low, close: v.close });
      else byDate.set(date, { open: day.open, high: Math.max(day.high, v.high), low: Math.min(day.low, v.low), close: v.close });
    }
    const complete = daily.filter(
      (d) => d.time > (fourHour[0]?.time ?? 0) && d.time <= (fourHour[fourHour.length - 1]?.time ?? 0) - 86_400_000,
    );
    expect(complete.length).toBeGreaterThan(40);
    // The label is right when the day opens with its first 4h bar and spans its range; the vendor's
    // daily close is once three ticks off its last 4h close (the 1d and 4h histories are separate
    // vendor series), the only disagreement: named here so any other shows up.
    const offCloses: string[] = [];
    for (const d of complete) {
      const ours = byDate.get(d.time);
      expect(ours && { open: ours.open, high: ours.high, low: ours.low }, new Date(d.time).toISOString()).toEqual({
        open: d.open,
        high: d.high,
        low: d.low,
      });
      if (ours && ours.close !== d.close) offCloses.push(`${new Date(d.time).toISOString()} ${ours.close} vs ${d.close}`);
    }
    expect(offCloses).toEqual(['2025-05-21T00:00:00.000Z 5859.25 vs 5858.5']);
    expect(complete.some((d) => d.time === Date.parse('2025-05-27'))).toBe(true);
    expect(byDate.has(Date.parse('2025-05-26'))).toBe(false);
    expect(byDate.has(Date.parse('2025-04-18'))).toBe(false);
  });
});
