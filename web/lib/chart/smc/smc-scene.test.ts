import { describe, expect, it } from 'vitest';
import type { ChartSmcEvent, ChartZone } from './smc-chart-rows.ts';
import { labelWidth } from './smc-geometry.ts';
import { type SmcCoordinates, smcScene } from './smc-scene.ts';
import { DEFAULT_SMC_VISIBILITY } from './smc-visibility.ts';

/** One bar every `spacing` px from x = 0 at time 0 (a bar per 60 s); price p at y = 1000 - p. */
function coordinates(spacing: number, width = 800, height = 600): SmcCoordinates {
  return { width, height, x: (t) => (t / 60) * spacing, y: (p) => 1000 - p };
}

const zone = (z: Partial<ChartZone>): ChartZone => ({
  key: `z${z.time ?? 0}`,
  study: 'fvg',
  time: 0,
  mitigatedTime: null,
  side: 1,
  top: 700,
  bottom: 650,
  confirmed: true,
  ...z,
});
const event = (e: Partial<ChartSmcEvent>): ChartSmcEvent => ({
  key: `e${e.time ?? 0}`,
  kind: 'bos',
  time: 0,
  direction: 1,
  level: 600,
  brokenTime: 600,
  confirmed: true,
  ...e,
});

describe('smcScene', () => {
  it('draws a zone from its creation bar to its mitigation bar, or to the right edge while active', () => {
    const scene = smcScene(
      [zone({ time: 60, mitigatedTime: 600 }), zone({ key: 'open', time: 120 })],
      [],
      DEFAULT_SMC_VISIBILITY,
      coordinates(10),
    );
    expect(scene.zones.map(({ key, x1, x2, y1, y2, active }) => ({ key, x1, x2, y1, y2, active }))).toEqual([
      { key: 'z60', x1: 10, x2: 100, y1: 300, y2: 350, active: false },
      { key: 'open', x1: 20, x2: 800, y1: 300, y2: 350, active: true },
    ]);
    expect(scene.zones[0]?.label).toBe('FVG');
  });

  it('leaves out zones outside the visible range or thinner than a pixel', () => {
    const c = coordinates(0.5);
    const scene = smcScene(
      [
        zone({ key: 'before', time: -6000, mitigatedTime: -600 }), // mitigated left of the pane
        zone({ key: 'tiny', time: 60, mitigatedTime: 61 }), // under a pixel across
        zone({ key: 'above', top: 2000, bottom: 1900 }), // above the visible prices
        zone({ key: 'kept', time: -6000, mitigatedTime: 6000 }), // from off the left edge into the pane
      ],
      [],
      DEFAULT_SMC_VISIBILITY,
      c,
    );
    expect(scene.zones.map((z) => z.key)).toEqual(['kept']);
    expect(scene.zones[0]?.x1).toBe(0);
  });

  it('labels a structure break only when the segment has room for the word', () => {
    const wide = smcScene([], [event({ kind: 'choch', brokenTime: 60 * 20 })], DEFAULT_SMC_VISIBILITY, coordinates(10));
    expect(wide.segments).toMatchObject([{ kind: 'choch', x1: 0, x2: 200, y: 400, label: 'CHoCH' }]);
    const narrow = smcScene([], [event({ kind: 'choch', brokenTime: 60 * 3 })], DEFAULT_SMC_VISIBILITY, coordinates(10));
    expect(30).toBeLessThan(labelWidth('CHoCH'));
    expect(narrow.segments).toMatchObject([{ x2: 30, label: null }]);
  });

  it('draws swings as markers and skips orphan breaks, which the library does not report', () => {
    const scene = smcScene(
      [],
      [
        event({ key: 'h', kind: 'swing_high', brokenTime: null, level: 700 }),
        event({ key: 'l', kind: 'swing_low', time: 60, brokenTime: null, level: 500, confirmed: false }),
        event({ key: 'orphan', kind: 'break', direction: null }),
      ],
      DEFAULT_SMC_VISIBILITY,
      coordinates(10),
    );
    expect(scene.swings).toEqual([
      { key: 'h', high: true, confirmed: true, x: 0, y: 300 },
      { key: 'l', high: false, confirmed: false, x: 10, y: 500 },
    ]);
    expect(scene.segments).toEqual([]);
  });

  it('draws only the studies switched on', () => {
    const zones = [zone({ key: 'f' }), zone({ key: 'o', study: 'ob' }), zone({ key: 'q', study: 'liquidity', top: 650, bottom: 650 })];
    const events = [event({ key: 'b' }), event({ key: 's', kind: 'swing_low', brokenTime: null })];
    const all = smcScene(zones, events, DEFAULT_SMC_VISIBILITY, coordinates(10));
    expect([all.zones.length, all.segments.length, all.swings.length]).toEqual([3, 1, 1]);
    const some = smcScene(zones, events, { fvg: false, ob: true, liquidity: false, structure: false, swings: true }, coordinates(10));
    expect(some.zones.map((z) => z.key)).toEqual(['o']);
    expect([some.segments.length, some.swings.length]).toEqual([0, 1]);
  });

  it('draws nothing the chart cannot place', () => {
    const c: SmcCoordinates = { ...coordinates(10), y: () => null };
    expect(smcScene([zone({})], [event({})], DEFAULT_SMC_VISIBILITY, c)).toEqual({ zones: [], segments: [], swings: [] });
  });
});
