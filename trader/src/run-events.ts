// A run step's engine events sorted by kind, as every run writer stores them: orders, fills, round
// trips and equity points in order, the last position, and the first halt.
import type { EngineEvent } from '@barstream/core/trading';

export type Ev<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

export interface RunEvents {
  readonly orders: Ev<'order'>[];
  readonly fills: Ev<'fill'>[];
  readonly trades: Ev<'trade'>[];
  readonly equity: Ev<'equity'>[];
  readonly position: Ev<'position'> | undefined;
  readonly halt: Ev<'halt'> | undefined;
}

export function splitRunEvents(events: readonly EngineEvent[]): RunEvents {
  const orders: Ev<'order'>[] = [];
  const fills: Ev<'fill'>[] = [];
  const trades: Ev<'trade'>[] = [];
  const equity: Ev<'equity'>[] = [];
  let position: Ev<'position'> | undefined;
  let halt: Ev<'halt'> | undefined;
  for (const e of events) {
    if (e.type === 'order') orders.push(e);
    else if (e.type === 'fill') fills.push(e);
    else if (e.type === 'trade') trades.push(e);
    else if (e.type === 'equity') equity.push(e);
    else if (e.type === 'position') position = e;
    else halt ??= e;
  }
  return { orders, fills, trades, equity, position, halt };
}
