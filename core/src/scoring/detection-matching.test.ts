import { describe, expect, it } from 'vitest';
import { matchDetections } from './detection-matching.ts';
import { scoreReport } from './score-report.ts';
import type { TrendDirection, TrendPoint } from './trend-direction.ts';

/** Bars 0..19, five minutes apart, with a 65-minute gap (a session break) after bar 9. */
const MIN = 60_000;
const barTimes = Array.from({ length: 20 }, (_, i) => i * 5 * MIN + (i >= 10 ? 60 * MIN : 0));
const at = (bar: number, direction: TrendDirection = 'up'): TrendPoint => ({ time: barTimes[bar] as number, direction });

describe('matchDetections', () => {
  it('counts exact-bar hits, misses and extras per direction and overall', () => {
    const labels = [at(2), at(5), at(8, 'down')];
    const detections = [at(2), at(6), at(8, 'down'), at(15, 'down')];
    const r = matchDetections({ labels, detections, barTimes }, 0);
    // up: bar 2 hit; label 5 missed; detection 6 extra. down: bar 8 hit; detection 15 extra.
    expect(r.up).toEqual({ tp: 1, fp: 1, fn: 1, precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(r.down).toMatchObject({ tp: 1, fp: 1, fn: 0, precision: 0.5, recall: 1 });
    expect(r.down.f1).toBeCloseTo(2 / 3, 12);
    expect(r.overall).toMatchObject({ tp: 2, fp: 2, fn: 1, precision: 0.5 });
    expect(r.overall.recall).toBeCloseTo(2 / 3, 12);
    expect(r.overall.f1).toBeCloseTo(4 / 7, 12); // 2·(1/2)(2/3)/(1/2+2/3)
    expect(r.events.map((e) => [e.source, e.time, e.outcome])).toEqual([
      ['label', barTimes[2], 'hit'],
      ['detection', barTimes[2], 'hit'],
      ['label', barTimes[5], 'miss'],
      ['detection', barTimes[6], 'extra'],
      ['label', barTimes[8], 'hit'],
      ['detection', barTimes[8], 'hit'],
      ['detection', barTimes[15], 'extra'],
    ]);
  });

  it('with ±k a detection up to k bars away matches, counted in bars across a session gap', () => {
    const labels = [at(5), at(9)];
    const detections = [at(6), at(11)]; // 11 is two bars after 9, but 75 minutes
    const r = matchDetections({ labels, detections, barTimes }, 2);
    expect(r.up).toMatchObject({ tp: 2, fp: 0, fn: 0, precision: 1, recall: 1, f1: 1 });
    expect(r.events.filter((e) => e.source === 'label').map((e) => [e.matchedTime, e.distance])).toEqual([
      [barTimes[6], 1],
      [barTimes[11], 2],
    ]);
    expect(matchDetections({ labels, detections, barTimes }, 1).up).toMatchObject({ tp: 1, fp: 1, fn: 1 });
  });

  it('two detections near one label: the nearer matches, the other is extra', () => {
    const r = matchDetections({ labels: [at(5)], detections: [at(3), at(6)], barTimes }, 2);
    expect(r.up).toMatchObject({ tp: 1, fp: 1, fn: 0 });
    expect(r.events.find((e) => e.source === 'detection' && e.outcome === 'hit')?.time).toBe(barTimes[6]);
    expect(r.events.find((e) => e.outcome === 'extra')?.time).toBe(barTimes[3]);
  });

  it('one detection between two labels matches only one: the nearer, the earlier on a tie', () => {
    expect(
      matchDetections({ labels: [at(4), at(7)], detections: [at(6)], barTimes }, 2)
        .events.filter((e) => e.outcome === 'hit')
        .map((e) => e.time),
    ).toEqual([barTimes[6], barTimes[7]]);
    const tie = matchDetections({ labels: [at(4), at(8)], detections: [at(6)], barTimes }, 2);
    expect(tie.up).toMatchObject({ tp: 1, fp: 0, fn: 1 });
    expect(tie.events.find((e) => e.outcome === 'miss')?.time).toBe(barTimes[8]);
  });

  it('pairs at equal distance go earlier label first: label 4 takes 5, so label 6 takes 7', () => {
    const r = matchDetections({ labels: [at(4), at(6)], detections: [at(5), at(7)], barTimes }, 1);
    expect(r.up).toMatchObject({ tp: 2, fp: 0, fn: 0 });
    expect(r.events.filter((e) => e.source === 'label').map((e) => e.matchedTime)).toEqual([barTimes[5], barTimes[7]]);
  });

  it('a detection in the other direction is no match: a miss and an extra', () => {
    const r = matchDetections({ labels: [at(5, 'up')], detections: [at(5, 'down')], barTimes }, 3);
    expect(r.up).toEqual({ tp: 0, fp: 0, fn: 1, precision: null, recall: 0, f1: null });
    expect(r.down).toEqual({ tp: 0, fp: 1, fn: 0, precision: 0, recall: null, f1: null });
    expect(r.overall).toEqual({ tp: 0, fp: 1, fn: 1, precision: 0, recall: 0, f1: 0 });
  });

  it('empty sets: nothing to score is null, not 0 or 1', () => {
    const none = matchDetections({ labels: [], detections: [], barTimes }, 0);
    expect(none.overall).toEqual({ tp: 0, fp: 0, fn: 0, precision: null, recall: null, f1: null });
    expect(none.events).toEqual([]);
    expect(matchDetections({ labels: [at(1)], detections: [], barTimes }, 0).overall).toMatchObject({ fn: 1, recall: 0, precision: null });
    expect(matchDetections({ labels: [], detections: [at(1)], barTimes: [] }, 0).overall.fp).toBe(0); // no bars: outside
  });

  it('places a time inside a bar on that bar, drops times before the first bar, and counts duplicates once', () => {
    const r = matchDetections(
      {
        labels: [at(3), at(3)],
        detections: [
          { time: (barTimes[3] as number) + 2 * MIN, direction: 'up' },
          { time: -1, direction: 'up' },
        ],
        barTimes,
      },
      0,
    );
    expect(r.up).toMatchObject({ tp: 1, fp: 0, fn: 0 });
  });

  it('rejects a tolerance that is not a whole number of bars', () => {
    expect(() => matchDetections({ labels: [], detections: [], barTimes }, -1)).toThrow(/k must be/);
    expect(() => matchDetections({ labels: [], detections: [], barTimes }, 1.5)).toThrow(/k must be/);
  });
});

describe('scoreReport', () => {
  it('gives exact and ±k side by side; k = 0 makes them the same', () => {
    const input = { labels: [at(5)], detections: [at(6)], barTimes };
    const r = scoreReport(input, 1);
    expect(r.exact.overall).toMatchObject({ tp: 0, fp: 1, fn: 1 });
    expect(r.tolerant.overall).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect([r.exact.k, r.tolerant.k]).toEqual([0, 1]);
    const same = scoreReport(input, 0);
    expect(same.tolerant).toBe(same.exact);
  });
});
