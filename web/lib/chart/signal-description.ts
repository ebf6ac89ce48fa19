// The words in a signal marker's tooltip: what it is, the rule that fired and the bar that
// triggered it (a trend start is confirmed by a later bar). Pure.
import type { ChartSignal } from './signal-markers.ts';

export interface SignalDescription {
  readonly title: string;
  readonly lines: readonly string[];
}

const humanize = (s: string): string => {
  const words = s.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const num = (v: unknown, digits = 2): string | undefined => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : undefined);

/** `formatTime` labels an epoch-seconds instant the way the chart's crosshair does. */
export function describeSignal(s: ChartSignal, formatTime: (epochSeconds: number) => string): SignalDescription {
  const d = s.details;
  const lines: string[] = [];
  if (typeof d.rule === 'string') lines.push(`Rule: ${d.rule}`);
  lines.push(`Bar: ${formatTime(s.time)}${typeof d.bar_index === 'number' ? ` (#${d.bar_index})` : ''}`);
  const triggerMs = typeof d.trigger_time === 'string' ? Date.parse(d.trigger_time) : Number.NaN;
  if (Number.isFinite(triggerMs)) {
    const index = typeof d.trigger_bar_index === 'number' ? ` (#${d.trigger_bar_index})` : '';
    lines.push(`Triggered by bar: ${formatTime(Math.floor(triggerMs / 1000))}${index}`);
  }
  const fast = num(d.fast_ema);
  const slow = num(d.slow_ema);
  if (fast !== undefined && slow !== undefined) lines.push(`Fast EMA ${fast} · slow EMA ${slow}`);
  const rsi = num(d.rsi, 1);
  if (rsi !== undefined) lines.push(`RSI ${rsi}`);
  const confidence = num(d.confidence);
  if (confidence !== undefined) lines.push(`Confidence ${confidence}`);
  if (s.price !== null) lines.push(`Price ${s.price}`);
  return { title: `${humanize(s.signalType)} · ${s.analyzerId} · ${s.timeframe}`, lines };
}
