// Colours and strokes of the SMC drawing: bullish teal / bearish red like the candles for FVGs and
// structure; order blocks in blue / orange so they read apart from gaps at a glance; liquidity gold.
// Provisional shapes (later bars may still revise them) are dashed and paler; mitigated zones fade.
import type { SegmentShape, ZoneShape } from './smc-scene.ts';

export interface ZoneStyle {
  readonly fill: string;
  readonly stroke: string;
  readonly dash: readonly number[];
  /** Labels stay legible on faded (mitigated, provisional) zones. */
  readonly label: string;
}

const rgba = (rgb: string, alpha: number): string => `rgba(${rgb}, ${alpha})`;
const BULL = '38, 166, 154';
const BEAR = '239, 83, 80';
const OB_BULL = '66, 135, 245';
const OB_BEAR = '255, 152, 0';
const LIQUIDITY = '224, 195, 65';
const PROVISIONAL_DASH = [4, 3];

function zoneRgb(z: Pick<ZoneShape, 'study' | 'side'>): string {
  if (z.study === 'ob') return z.side > 0 ? OB_BULL : OB_BEAR;
  if (z.study === 'liquidity') return LIQUIDITY;
  return z.side > 0 ? BULL : BEAR;
}

export function zoneStyle(z: Pick<ZoneShape, 'study' | 'side' | 'confirmed' | 'active'>): ZoneStyle {
  const rgb = zoneRgb(z);
  const base = z.study === 'ob' ? 0.24 : 0.18;
  const fill = base * (z.active ? 1 : 0.55) * (z.confirmed ? 1 : 0.6);
  return {
    fill: rgba(rgb, fill),
    stroke: rgba(rgb, z.active ? 0.85 : 0.45),
    dash: z.confirmed ? (z.study === 'liquidity' ? [1, 2] : []) : PROVISIONAL_DASH,
    label: rgba(rgb, z.active ? 1 : 0.8),
  };
}

export function segmentColor(s: Pick<SegmentShape, 'direction' | 'confirmed'>): string {
  return rgba(s.direction > 0 ? BULL : BEAR, s.confirmed ? 1 : 0.6);
}

export const segmentDash = (s: Pick<SegmentShape, 'confirmed'>): readonly number[] => (s.confirmed ? [] : PROVISIONAL_DASH);

export const SWING_HIGH_COLOR = rgba(BEAR, 0.9);
export const SWING_LOW_COLOR = rgba(BULL, 0.9);
export const LABEL_FONT = '600 10px Inter, system-ui, sans-serif';
/** Swing marker: a triangle this many pixels across, this far from its level. */
export const SWING_SIZE_PX = 7;
export const SWING_GAP_PX = 3;
