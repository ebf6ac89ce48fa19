// Rolling the vendor's 5m bars up through the live aggregator reproduces the vendor's 1h/4h/1d bars.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BarAggregator } from './bar-aggregator.ts';
import { barTradePath } from './bar-trade-path.ts';
import type { ContractBar } from './schemas/bar-message.ts';
import { CME_CALENDAR, SessionCalendar } from './session-calendar.ts';
import { parseMesCsv } from './strategies/mes-csv.ts';
import { parseTimeframe } from './timeframe.ts';

const dir = fileURLToPath(new URL('../../../shared/data/mes/', import.meta.url));
const present = existsSync(dir);
if (!present) console.warn(`skipping MES rollup test: ${dir} not found`);

describe.skipIf(!present)('MES 5m rollup (real vendor data)', () => {
  const read = (f: string) => parseMesCsv(readFileSync(`${dir}${f}`, 'utf8')).bars;
  const calendar = new SessionCalendar(CME_CALENDAR);
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
