// Paints an SmcScene on the pane's canvas (media coordinates: CSS pixels, the scene's units).
import type { ZoneShape, SegmentShape, SmcScene, SwingShape } from './smc-scene.ts';
import { LABEL_PAD_PX } from './smc-geometry.ts';
import {
  LABEL_FONT,
  segmentColor,
  segmentDash,
  SWING_GAP_PX,
  SWING_HIGH_COLOR,
  SWING_LOW_COLOR,
  SWING_SIZE_PX,
  zoneStyle,
} from './smc-style.ts';

function paintZone(ctx: CanvasRenderingContext2D, z: ZoneShape): void {
  const style = zoneStyle(z);
  ctx.setLineDash(style.dash);
  ctx.strokeStyle = style.stroke;
  ctx.lineWidth = 1;
  if (z.study === 'liquidity') {
    ctx.beginPath();
    ctx.moveTo(z.x1, z.y1 + 0.5);
    ctx.lineTo(z.x2, z.y1 + 0.5);
    ctx.stroke();
  } else {
    ctx.fillStyle = style.fill;
    ctx.fillRect(z.x1, z.y1, z.x2 - z.x1, z.y2 - z.y1);
    ctx.strokeRect(z.x1 + 0.5, z.y1 + 0.5, Math.max(z.x2 - z.x1 - 1, 0), Math.max(z.y2 - z.y1 - 1, 0));
  }
  if (z.label) {
    ctx.fillStyle = style.label;
    ctx.textBaseline = z.study === 'liquidity' ? 'bottom' : 'top';
    ctx.fillText(z.label, z.x1 + LABEL_PAD_PX, z.study === 'liquidity' ? z.y1 - 1 : z.y1 + 1);
  }
}

function paintSegment(ctx: CanvasRenderingContext2D, s: SegmentShape): void {
  const color = segmentColor(s);
  ctx.setLineDash(segmentDash(s));
  ctx.strokeStyle = color;
  ctx.lineWidth = s.kind === 'choch' ? 2 : 1.5;
  ctx.beginPath();
  ctx.moveTo(s.x1, s.y);
  ctx.lineTo(s.x2, s.y);
  ctx.stroke();
  if (s.label) {
    ctx.fillStyle = color;
    ctx.textAlign = 'center';
    // A break upwards is labelled above its level, a break downwards below: the label sits on the side price left.
    ctx.textBaseline = s.direction > 0 ? 'bottom' : 'top';
    ctx.fillText(s.label, (s.x1 + s.x2) / 2, s.direction > 0 ? s.y - 2 : s.y + 2);
    ctx.textAlign = 'left';
  }
}

function paintSwing(ctx: CanvasRenderingContext2D, s: SwingShape): void {
  const half = SWING_SIZE_PX / 2;
  // A high's marker points down at it from above; a low's points up at it from below.
  const tip = s.high ? s.y - SWING_GAP_PX : s.y + SWING_GAP_PX;
  const base = s.high ? tip - SWING_SIZE_PX * 0.8 : tip + SWING_SIZE_PX * 0.8;
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.moveTo(s.x, tip);
  ctx.lineTo(s.x - half, base);
  ctx.lineTo(s.x + half, base);
  ctx.closePath();
  const color = s.high ? SWING_HIGH_COLOR : SWING_LOW_COLOR;
  if (s.confirmed) {
    ctx.fillStyle = color;
    ctx.fill();
  } else {
    ctx.strokeStyle = color;
    ctx.lineWidth = 1;
    ctx.stroke();
  }
}

/** The zones: drawn under the candles, so candles stay readable over shaded areas. */
export function paintZones(ctx: CanvasRenderingContext2D, scene: SmcScene): void {
  ctx.save();
  ctx.font = LABEL_FONT;
  for (const z of scene.zones) paintZone(ctx, z);
  ctx.restore();
}

/** BOS/CHoCH segments and swing markers: thin, drawn over the candles. */
export function paintStructure(ctx: CanvasRenderingContext2D, scene: SmcScene): void {
  ctx.save();
  ctx.font = LABEL_FONT;
  for (const s of scene.segments) paintSegment(ctx, s);
  for (const s of scene.swings) paintSwing(ctx, s);
  ctx.restore();
}
