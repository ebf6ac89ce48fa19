import { describe, expect, it } from 'vitest';
import { mergeRows, toChartZone } from './smc-chart-rows.ts';

const row = (key: string, time: number, v = 0) => ({ key, time, v });

describe('mergeRows', () => {
  it('replaces every held row from `from` on with the fetch: revised rows change, vanished ones go', () => {
    const held = new Map([row('a', 10), row('b', 20), row('c', 30, 1)].map((r) => [r.key, r]));
    expect(mergeRows(held, [row('c', 30, 2), row('d', 40)], 20)).toBe(true);
    expect([...held.values()].sort((x, y) => x.time - y.time)).toEqual([row('a', 10), row('c', 30, 2), row('d', 40)]);
  });

  it('keeps rows before `from`, and updates those the fetch returns from before it (zones alive at `from`)', () => {
    const held = new Map([row('a', 10, 0), row('b', 12)].map((r) => [r.key, r]));
    mergeRows(held, [row('a', 10, 1)], 20);
    expect(held.get('a')).toEqual(row('a', 10, 1));
    expect(held.get('b')).toEqual(row('b', 12));
  });

  it('without `from` the fetch is everything; an identical fetch changes nothing', () => {
    const held = new Map([row('a', 10)].map((r) => [r.key, r]));
    expect(mergeRows(held, [row('b', 20)], undefined)).toBe(true);
    expect([...held.keys()]).toEqual(['b']);
    expect(mergeRows(held, [row('b', 20)], undefined)).toBe(false);
  });
});

describe('toChartZone', () => {
  it('keys a zone by study instance, study and bar; times in epoch seconds', () => {
    expect(
      toChartZone({
        study_id: 's',
        study: 'ob',
        bar_time: '2025-06-02T14:00:00.000Z',
        bar_index: 3,
        side: -1,
        top: 2,
        bottom: 1,
        end_time: null,
        end_index: null,
        mitigated_time: '2025-06-02T14:05:00.000Z',
        mitigated_index: 4,
        volume: 10,
        percentage: 50,
        confirmed: false,
      }),
    ).toEqual({
      key: 's|ob|2025-06-02T14:00:00.000Z',
      study: 'ob',
      time: Date.UTC(2025, 5, 2, 14) / 1000,
      mitigatedTime: Date.UTC(2025, 5, 2, 14, 5) / 1000,
      side: -1,
      top: 2,
      bottom: 1,
      confirmed: false,
    });
  });
});
