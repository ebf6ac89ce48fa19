// What a signal does to the run: its mapped action against the position (after the orders already
// on their way) becomes "close" and/or "enter long/short". No pyramiding: an entry in the position's
// direction is ignored.
import type { SignalAction, StrategyRunConfig } from './run-config-schema.ts';

export interface SignalDecision {
  /** Close the whole projected position with a market order. */
  readonly close: boolean;
  /** Then enter: +1 long, −1 short, 0 no entry. */
  readonly enter: -1 | 0 | 1;
}

const NOTHING: SignalDecision = { close: false, enter: 0 };

export function decideSignal(
  action: SignalAction,
  projectedSteps: number,
  onOpposite: StrategyRunConfig['exits']['on_opposite_signal'],
): SignalDecision {
  const side = Math.sign(projectedSteps);
  switch (action) {
    case 'exit':
      return side === 0 ? NOTHING : { close: true, enter: 0 };
    case 'reverse':
      return side === 0 ? NOTHING : { close: true, enter: side > 0 ? -1 : 1 };
    case 'entry_long':
    case 'entry_short': {
      const dir = action === 'entry_long' ? 1 : -1;
      if (side === 0) return { close: false, enter: dir };
      if (side === dir || onOpposite === 'ignore') return NOTHING;
      return { close: true, enter: onOpposite === 'reverse' ? dir : 0 };
    }
  }
}
