import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { OhlcBar } from '../bar.ts';
import { formatUtcTimestamp, parseMesCsv, parseTimestamp } from './mes-csv.ts';
import { compareSignals, findTrendStarts, TrendStartFinder, type TrendStartSignal } from './trend-start-finder.ts';

const H4 = 4 * 3_600_000;

// Spec section 11 table: [open, high, low, close] of 4h bars 1..12 from 2025-03-16 22:00 UTC.
const WORKED_EXAMPLE = [
  [5679.75, 5684.0, 5654.25, 5666.0],
  [5666.25, 5666.75, 5659.25, 5662.0],
  [5661.75, 5670.25, 5651.25, 5666.5],
  [5666.5, 5726.25, 5664.75, 5719.25],
  [5719.25, 5736.25, 5689.75, 5733.5],
  [5733.5, 5759.75, 5725.5, 5732.25],
  [5732.0, 5738.0, 5716.5, 5717.5],
  [5717.5, 5720.25, 5707.75, 5713.75],
  [5713.75, 5735.75, 5712.0, 5723.75],
  [5723.5, 5725.0, 5666.75, 5668.25],
  [5668.5, 5681.25, 5651.0, 5668.5],
  [5668.5, 5682.5, 5657.25, 5669.5],
] as const;

/** Bars from [open, high, low, close] rows, `step` ms apart starting at `start`. */
function makeBars(rows: readonly (readonly number[])[], start = 0, step = 60_000): OhlcBar[] {
  return rows.map(([open, high, low, close], k) => ({
    time: start + k * step,
    open: open!,
    high: high!,
    low: low!,
    close: close!,
    volume: 0,
  }));
}

/** Compact form `<u|d><bar>:<rule>@<trigger>` so failures show the whole sequence at once. */
const brief = (signals: readonly TrendStartSignal[]): string[] =>
  signals.map((s) => `${s.type === 'up' ? 'u' : 'd'}${s.barIndex}:${s.rule}@${s.triggerIndex}`);

function streamAll(bars: readonly OhlcBar[]): TrendStartSignal[] {
  const finder = new TrendStartFinder();
  const out: TrendStartSignal[] = [];
  for (const bar of bars) out.push(...finder.update(bar));
  return out;
}

describe('worked example (spec section 11): first 12 bars of the 4h series', () => {
  const start = parseTimestamp('2025-03-16 22:00:00+00:00');
  const bars = makeBars(WORKED_EXAMPLE, start, H4);

  it('emits the listed signals on the listed bars and keeps the listed candidates', () => {
    // Per bar i (1-based): signals in emission order, then PUS / PDS candidate after the bar.
    const expected: [string[], number | undefined, number | undefined][] = [
      [[], undefined, undefined],
      [[], 1, 1],
      [['u1:EngulfingUpPDSLowBreak@3', 'd1:LowThenHigherClose_vs_PDSOpen@3'], undefined, undefined],
      [[], 3, undefined],
      [[], 3, undefined],
      [[], 3, 6],
      [[], 3, 6],
      [[], 3, 6],
      [['u3:LowUndercutHighRespect@9', 'd6:RallyLowBreaksPeakLow_A@9'], undefined, undefined],
      [[], undefined, 9],
      [[], undefined, 9],
      [['u8:FORCED_by_CDS_RallyLowBreaksPeakLow_A@12', 'd9:RallyLowBreaksPeakLow_A@12'], 11, undefined],
    ];
    const finder = new TrendStartFinder();
    bars.forEach((bar, k) => {
      const [signals, pus, pds] = expected[k]!;
      const emitted = finder.update(bar);
      expect({ bar: k + 1, signals: brief(emitted) }).toEqual({ bar: k + 1, signals });
      expect({ bar: k + 1, pus: finder.pendingUpIndex, pds: finder.pendingDownIndex }).toEqual({ bar: k + 1, pus, pds });
      for (const s of emitted) {
        expect(s.barTime).toBe(start + (s.barIndex - 1) * H4);
        expect(s.triggerTime).toBe(bar.time);
      }
    });
  });

  it('final list is down 1, up 1, up 3, down 6, up 8, down 9', () => {
    expect(findTrendStarts(bars).map((s) => `${s.type}${s.barIndex}`)).toEqual(['down1', 'up1', 'up3', 'down6', 'up8', 'down9']);
  });
});

describe('quirks on hand-made series', () => {
  // Bar 1 is both candidates; bar 3 starts a containment inside it (contStart = 3); tiny filler
  // bars stay inside; the last bar is an outside-down-close bar vs its filler prev (CUS rule 3).
  const containmentSeries = (fillers: number) =>
    makeBars([
      [100, 110, 90, 95],
      [95, 105, 92, 100],
      [100, 104, 93, 101],
      ...Array.from({ length: fillers }, () => [100, 101, 99, 100]),
      [102, 103, 97, 98],
    ]);

  it('containment: a confirmation on contStart+5 still counts', () => {
    expect(brief(findTrendStarts(containmentSeries(4)))).toEqual(['u1:HigherHighLowerLowDownClose@8']);
  });

  it('containment: from contStart+6 on, confirmations are suppressed', () => {
    expect(findTrendStarts(containmentSeries(5))).toEqual([]);
  });

  it('PDS guard: prev with a lower high than prev2 never becomes PDS', () => {
    // Bar 5 proposes bar 4 as PDS (5.H <= 4.H) but 4.H 101 < 3.H 102. Without the guard bar 4
    // would be the PDS and bar 6 would confirm u2 (BreakoutAfterFailedLowV2) and d4.
    const bars = makeBars([
      [101, 102, 99, 99],
      [98, 100, 98, 99],
      [100, 102, 99, 101],
      [100, 101, 99, 99],
      [98, 101, 98, 100],
      [101, 103, 101, 103],
    ]);
    const finder = new TrendStartFinder();
    const emitted = bars.flatMap((bar) => finder.update(bar));
    expect(finder.pendingDownIndex).toBeUndefined();
    expect(brief(emitted)).toEqual(['d1:HigherOHLCAfterLowBreak_G@3']);
  });

  it('forced alternation: tie on the highest high picks the earliest bar', () => {
    // u1 confirmed on bar 4; bar 6 confirms u4, so a forced down goes on the highest high in
    // bars 2..3, both 103: bar 2.
    const bars = makeBars([
      [100, 101, 99, 101],
      [101, 103, 100, 102],
      [103, 103, 101, 102],
      [103, 104, 102, 104],
      [103, 103, 103, 103],
      [104, 104, 102, 103],
    ]);
    expect(brief(streamAll(bars))).toEqual([
      'u1:BreakoutAfterFailedLowV2@4',
      'd2:FORCED_by_CUS_HigherHighLowerLowDownClose@6',
      'u4:HigherHighLowerLowDownClose@6',
    ]);
  });

  it('rejects bars fed out of time order', () => {
    const finder = new TrendStartFinder();
    finder.update(makeBars([[1, 2, 0, 1]], 1000)[0]!);
    expect(() => finder.update(makeBars([[1, 2, 0, 1]], 0)[0]!)).toThrow(RangeError);
  });
});

describe('streaming suppression equals batch de-duplication on random series', () => {
  // Tick-quantised, narrow price grid so equalities and inside-bar runs are frequent.
  function randomSeries(seed: number, n: number): OhlcBar[] {
    let s = seed >>> 0;
    const rnd = (k: number) => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return Math.floor((s / 2 ** 32) * k);
    };
    const bars: OhlcBar[] = [];
    let px = 1000;
    for (let k = 0; k < n; k++) {
      const last = bars[bars.length - 1];
      if (last !== undefined && rnd(3) === 0) {
        const high = last.high - rnd(2) * 0.25;
        const low = last.low + rnd(2) * 0.25;
        const open = Math.min(high, low + rnd(4) * 0.25);
        const close = Math.min(high, low + rnd(4) * 0.25);
        bars.push({ time: k, open, high, low, close, volume: 0 });
        continue;
      }
      const open = px + (rnd(3) - 1) * 0.25;
      const close = open + (rnd(9) - 4) * 0.25;
      const high = Math.max(open, close) + rnd(3) * 0.25;
      const low = Math.min(open, close) - rnd(3) * 0.25;
      bars.push({ time: k, open, high, low, close, volume: 0 });
      px = close;
    }
    return bars;
  }

  it('holds for 2000 short series and one long one', () => {
    let duplicatesSeen = 0;
    for (let seed = 1; seed <= 2001; seed++) {
      const bars = randomSeries(seed, seed === 2001 ? 50_000 : 2 + (seed % 149));
      const batch = findTrendStarts(bars);
      const streamed = streamAll(bars);
      const raw = new TrendStartFinder({ suppressRepeats: false });
      duplicatesSeen += bars.reduce((n, b) => n + raw.update(b).length, 0) - streamed.length;
      expect(streamed.slice().sort(compareSignals)).toEqual(batch);
    }
    // Otherwise the equality above would be vacuous.
    expect(duplicatesSeen).toBeGreaterThan(0);
  });
});

describe('mes-csv', () => {
  it('parses with or without a leading id column and sorts by time', () => {
    const withId =
      'id,contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value\n' +
      '2,C,2025-03-16 22:05:00+00:00,2,3,1,2.5,10.0,2,5\n' +
      '1,C,2025-03-16 22:00:00+00:00,1,2,0.5,1.5,20.0,2,5\n';
    const withoutId = withId
      .split('\n')
      .map((l) => l.split(',').slice(1).join(','))
      .join('\n');
    for (const text of [withId, withoutId]) {
      const { bars, timestamps } = parseMesCsv(text);
      expect(timestamps).toEqual(['2025-03-16 22:00:00+00:00', '2025-03-16 22:05:00+00:00']);
      expect(bars).toEqual([
        { time: Date.UTC(2025, 2, 16, 22, 0), open: 1, high: 2, low: 0.5, close: 1.5, volume: 20 },
        { time: Date.UTC(2025, 2, 16, 22, 5), open: 2, high: 3, low: 1, close: 2.5, volume: 10 },
      ]);
    }
  });

  it('formats and parses the reference timestamp layout', () => {
    expect(formatUtcTimestamp(Date.UTC(2025, 2, 16, 22, 0))).toBe('2025-03-16 22:00:00+00:00');
    expect(parseTimestamp('2025-03-17T01:00:00+02:00')).toBe(Date.UTC(2025, 2, 16, 23, 0));
  });
});

const dataDir = new URL('../../../../shared/data/mes/', import.meta.url);
const dataExists = existsSync(fileURLToPath(dataDir));
if (!dataExists) console.warn('skipping MES reference trend-start tests: ../shared/data/mes not found');

describe('MES reference outputs', () => {
  const load = (tf: string) => parseMesCsv(readFileSync(new URL(`MES_M25_${tf}.csv`, dataDir), 'utf8'));

  for (const tf of ['4h', '1d', '1h', '5m']) {
    it.skipIf(!dataExists)(`reproduces trend_starts_${tf}.csv row for row`, () => {
      const { bars, timestamps } = load(tf);
      const signals = findTrendStarts(bars);
      const rows = signals.map((s) => {
        const date = formatUtcTimestamp(s.barTime);
        expect(date).toBe(timestamps[s.barIndex - 1]);
        return `${s.type}trend,${s.barIndex},${date},${s.rule},${s.triggerIndex}`;
      });
      const reference = readFileSync(new URL(`trend-starts-reference/trend_starts_${tf}.csv`, dataDir), 'utf8');
      expect(['trend_start_type,bar_index,date,rule,trigger_bar_index', ...rows, ''].join('\n')).toBe(reference);
      expect(signals.length).toBe({ '4h': 120, '1d': 19, '1h': 335, '5m': 3607 }[tf]);
    });

    it.skipIf(!dataExists)(`streaming emits the batch result on ${tf}`, () => {
      const { bars } = load(tf);
      expect(streamAll(bars).sort(compareSignals)).toEqual(findTrendStarts(bars));
    });
  }

  it.skipIf(!dataExists)('5m: 103 of 3,710 raw signals are duplicates (spec 9.2)', () => {
    const finder = new TrendStartFinder({ suppressRepeats: false });
    const raw = load('5m').bars.reduce((n, bar) => n + finder.update(bar).length, 0);
    expect(raw).toBe(3710);
  });

  it.skipIf(!dataExists)('worked-example table matches the first 12 bars of the 4h file', () => {
    const first = load('4h').bars.slice(0, 12);
    expect(first.map((b) => [b.open, b.high, b.low, b.close])).toEqual(WORKED_EXAMPLE);
    expect(first[0]!.time).toBe(parseTimestamp('2025-03-16 22:00:00+00:00'));
  });
});
