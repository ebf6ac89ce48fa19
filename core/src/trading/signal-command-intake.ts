// Signal and command intake: turns each signal into its orders and each command (manual submit, cancel,
// replace, emergency stop) into its action, acting once per signal key and manual order id, so a restart
// re-reading detected_signals or a retried API call places nothing again.
import type { EngineCommand, ManualOrder } from './engine-events.ts';
import { type Instrument, toSteps, toTicks } from './instrument.ts';
import { manualOrderSpec } from './manual-order.ts';
import type { NewOrder, OrderDesk } from './order-desk.ts';
import type { RiskBreach } from './risk-limits.ts';
import { type SignalContext, signalOrders } from './signal-orders.ts';

/** What the intake asks of the engine it feeds. */
export interface IntakeActions {
  readonly halted: () => boolean;
  /** The run's state a signal is sized and priced from, as of now. */
  readonly signalContext: () => SignalContext;
  /** Places an order through the pre-trade limits. */
  readonly place: (spec: NewOrder, time: number) => void;
  readonly halt: (breach: RiskBreach, time: number, flatten: boolean) => void;
}

export class SignalCommandIntake {
  private readonly seenSignals = new Set<string>();
  private readonly seenManualIds = new Set<string>();

  constructor(
    private readonly instrument: Instrument,
    private readonly desk: OrderDesk,
    private readonly actions: IntakeActions,
  ) {}

  onSignal(key: string, type: string, time: number): void {
    // A signal seen before (a restart re-reading detected_signals) places nothing again.
    if (this.seenSignals.has(key)) return;
    this.seenSignals.add(key);
    if (this.actions.halted()) return;
    for (const spec of signalOrders(this.actions.signalContext(), key, type)) this.actions.place(spec, time);
  }

  onCommand(time: number, command: EngineCommand): void {
    switch (command.type) {
      case 'emergency_stop':
        this.actions.halt({ reason: 'emergency_stop', detail: command.reason ?? 'emergency stop' }, time, command.flatten ?? true);
        return;
      case 'submit':
        this.submitManual(command.order, time);
        return;
      // An order that is no longer working (filled, cancelled, never placed) is left alone: its last record
      // is the answer, and a replayed command must not fail where the original succeeded.
      case 'cancel': {
        const order = this.desk.book.get(command.clientOrderId);
        if (order) this.desk.cancel(order, 'cancelled', time);
        return;
      }
      case 'replace': {
        const order = this.desk.book.get(command.clientOrderId);
        if (!order) return;
        if (command.limitPrice !== undefined) order.limitTicks = toTicks(this.instrument, command.limitPrice);
        if (command.stopPrice !== undefined) order.stopTicks = toTicks(this.instrument, command.stopPrice);
        const steps = command.qty === undefined ? order.qtySteps : toSteps(this.instrument, command.qty);
        if (steps <= order.filledSteps) return this.desk.cancel(order, 'replaced_below_filled', time);
        this.desk.resize(order, steps, time);
        return;
      }
    }
  }

  private submitManual(manual: ManualOrder, time: number): void {
    // A repeated submit (a retried API call) places nothing: manual ids are remembered like signal keys.
    if (this.seenManualIds.has(manual.clientOrderId)) return;
    const spec = manualOrderSpec(manual, this.instrument);
    this.seenManualIds.add(manual.clientOrderId);
    this.actions.place(spec, time);
  }
}
