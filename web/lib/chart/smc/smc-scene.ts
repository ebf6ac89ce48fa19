// What the SMC primitive draws at the current zoom, pure: rows + toggles + coordinate mapping → zone
// rectangles, BOS/CHoCH segments and swing markers in pane pixels, clipped to the pane, sub-pixel
// shapes and labels without room left out.
import type { ChartSmcEvent, ChartZone } from './smc-chart-rows.ts';
import { clipBand, clipSpan, fittedLabel, LABEL_HEIGHT_PX } from './smc-geometry.ts';
import type { SmcVisibility } from './smc-visibility.ts';

/** Time (epoch seconds) and price → pane pixels; null when the chart cannot place it (no bars yet). */
export interface SmcCoordinates {
  readonly width: number;
  readonly height: number;
  x(time: number): number | null;
  y(price: number): number | null;
}

export interface ZoneShape {
  readonly key: string;
  readonly study: ChartZone['study'];
  readonly side: -1 | 1;
  readonly confirmed: boolean;
  /** Still active: the rectangle runs to the right edge. */
  readonly active: boolean;
  readonly x1: number;
  readonly x2: number;
  readonly y1: number;
  readonly y2: number;
  readonly label: string | null;
}

export interface SegmentShape {
  readonly key: string;
  readonly kind: 'bos' | 'choch';
  readonly direction: -1 | 1;
  readonly confirmed: boolean;
  readonly x1: number;
  readonly x2: number;
  readonly y: number;
  readonly label: string | null;
}

export interface SwingShape {
  readonly key: string;
  readonly high: boolean;
  readonly confirmed: boolean;
  readonly x: number;
  readonly y: number;
}

export interface SmcScene {
  readonly zones: readonly ZoneShape[];
  readonly segments: readonly SegmentShape[];
  readonly swings: readonly SwingShape[];
}

export const EMPTY_SCENE: SmcScene = { zones: [], segments: [], swings: [] };

const ZONE_LABELS: Readonly<Record<ChartZone['study'], string>> = { fvg: 'FVG', ob: 'OB', liquidity: 'LIQ' };
const SEGMENT_LABELS = { bos: 'BOS', choch: 'CHoCH' } as const;

function zoneShape(z: ChartZone, c: SmcCoordinates): ZoneShape | null {
  const x1 = c.x(z.time);
  const x2 = z.mitigatedTime === null ? undefined : c.x(z.mitigatedTime);
  const yTop = c.y(z.top);
  const yBottom = c.y(z.bottom);
  if (x1 === null || x2 === null || yTop === null || yBottom === null) return null;
  const span = clipSpan(x1, x2, c.width);
  const band = span && clipBand(yTop, yBottom, c.height);
  if (!span || !band) return null;
  // A liquidity level is a line: its label sits above it.
  const tall = z.study === 'liquidity' ? LABEL_HEIGHT_PX : band.y2 - band.y1;
  return {
    key: z.key,
    study: z.study,
    side: z.side,
    confirmed: z.confirmed,
    active: z.mitigatedTime === null,
    x1: span.x1,
    x2: span.x2,
    y1: band.y1,
    y2: band.y2,
    label: fittedLabel(ZONE_LABELS[z.study], span.x2 - span.x1, tall),
  };
}

function segmentShape(e: ChartSmcEvent, c: SmcCoordinates): SegmentShape | null {
  if ((e.kind !== 'bos' && e.kind !== 'choch') || e.level === null || e.brokenTime === null || e.direction === null) return null;
  const x1 = c.x(e.time);
  const x2 = c.x(e.brokenTime);
  const y = c.y(e.level);
  if (x1 === null || x2 === null || y === null || y < 0 || y > c.height) return null;
  const span = clipSpan(x1, x2, c.width);
  if (!span) return null;
  return {
    key: e.key,
    kind: e.kind,
    direction: e.direction,
    confirmed: e.confirmed,
    x1: span.x1,
    x2: span.x2,
    y,
    label: fittedLabel(SEGMENT_LABELS[e.kind], span.x2 - span.x1),
  };
}

function swingShape(e: ChartSmcEvent, c: SmcCoordinates): SwingShape | null {
  if ((e.kind !== 'swing_high' && e.kind !== 'swing_low') || e.level === null) return null;
  const x = c.x(e.time);
  const y = c.y(e.level);
  if (x === null || y === null || x < 0 || x > c.width || y < 0 || y > c.height) return null;
  return { key: e.key, high: e.kind === 'swing_high', confirmed: e.confirmed, x, y };
}

function collect<R, S>(rows: Iterable<R>, shape: (row: R) => S | null): S[] {
  const out: S[] = [];
  for (const row of rows) {
    const s = shape(row);
    if (s) out.push(s);
  }
  return out;
}

export function smcScene(zones: Iterable<ChartZone>, events: Iterable<ChartSmcEvent>, show: SmcVisibility, c: SmcCoordinates): SmcScene {
  const shownZones = collect(zones, (z) => (show[z.study] ? zoneShape(z, c) : null));
  const eventList = [...events];
  return {
    zones: shownZones,
    segments: show.structure ? collect(eventList, (e) => segmentShape(e, c)) : [],
    swings: show.swings ? collect(eventList, (e) => swingShape(e, c)) : [],
  };
}
