// The box that names the signals under the cursor: rule, triggering bar and the strategy's figures.
import type { TooltipState } from '@/lib/chart/chart-session.ts';

/** Keeps the box clear of the cursor, and inside the chart on its right half. */
const OFFSET_PX = 16;

export function SignalTooltip({ tooltip, width }: { readonly tooltip: TooltipState; readonly width: number }) {
  const flip = tooltip.x > width / 2;
  const style = flip
    ? { right: Math.max(0, width - tooltip.x + OFFSET_PX), top: tooltip.y + OFFSET_PX }
    : { left: tooltip.x + OFFSET_PX, top: tooltip.y + OFFSET_PX };
  return (
    <div className="signal-tooltip" style={style} role="tooltip" data-testid="signal-tooltip">
      {tooltip.items.map((item) => (
        <div key={item.title + item.lines.join('|')} className="signal-tooltip-item">
          <strong>{item.title}</strong>
          {item.lines.map((line) => (
            <div key={line}>{line}</div>
          ))}
        </div>
      ))}
    </div>
  );
}
