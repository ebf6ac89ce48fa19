// The execution engine of one strategy run: a deterministic state machine fed inputs (closed bars,
// trades, quotes, signals, commands) that emits every order change, fill, position change, round trip,
// equity point and halt as a record. Same config and inputs → same outputs, in a backtest or a paper run.
// This file orders the steps and owns placement under the risk limits and the halt; the clock
// (input-clock.ts), the fills (fill-step.ts) and the signal/command intake (signal-command-intake.ts) are beside it.
import type { OhlcBar } from '../bar.ts';
import { Atr } from '../indicators/atr.ts';
import type { Account } from './account.ts';
import { Ledger, type MutableEquityPoint } from './ledger.ts';
import type { EngineEvent, EngineInput, OrderRecord } from './engine-events.ts';
import { type ExecutionCosts, executionCosts } from './execution-costs.ts';
import { FillStep } from './fill-step.ts';
import { InputClock } from './input-clock.ts';
import { type Instrument, instrumentFromSpec } from './instrument.ts';
import { type Money, toMoney } from './money.ts';
import { type Order, remainingSteps } from './order.ts';
import type { OrderBook } from './order-book.ts';
import { type NewOrder, OrderDesk } from './order-desk.ts';
import type { PositionBook } from './position-book.ts';
import { type RiskBreach, RiskLimits } from './risk-limits.ts';
import type { RoundTripTracker } from './round-trip-tracker.ts';
import type { StrategyRunConfig } from './run-config-schema.ts';
import { SeededRandom } from './seeded-random.ts';
import { type SessionBoundaries, SessionClock } from './session-clock.ts';
import { SignalCommandIntake } from './signal-command-intake.ts';
import type { SignalContext } from './signal-orders.ts';

export interface EngineOptions {
  /** Names every order: client_order_id = `<runId>:<signal key>:<leg>`. */
  readonly runId: string;
  /** The contract's sessions (a `SessionCalendar`); day orders expire and the daily loss resets when the
   * session changes. Default: UTC dates. */
  readonly sessions?: SessionBoundaries;
  /** Receives every output record in order. */
  readonly emit: (event: EngineEvent) => void;
  /** Emit every equity point as one object written over at each closed bar, valid only until `emit`
   * returns (a backtest encodes each point as it comes: a million fresh objects were a fifth of its
   * allocations). Default false: each point is a new object, which `emit` may keep. */
  readonly reuseEquityPoints?: boolean;
}

export class TradingEngine {
  readonly instrument: Instrument;
  readonly position: PositionBook;
  readonly account: Account;
  private readonly desk: OrderDesk;
  private readonly orders: OrderBook;
  private readonly costs: ExecutionCosts;
  private readonly risk: RiskLimits;
  private readonly ledger: Ledger;
  private readonly trips: RoundTripTracker;
  private readonly fills: FillStep;
  private readonly intake: SignalCommandIntake;
  private readonly clock: InputClock;
  private readonly emit: (event: EngineEvent) => void;
  private readonly atr: Atr | null;
  private readonly rng: SeededRandom | null;
  private markTicks = NaN;
  private barIndex = -1;
  /** The point reused for every closed bar (reuseEquityPoints), else undefined. */
  private readonly point: MutableEquityPoint | undefined;
  halted = false;
  haltReason: RiskBreach['reason'] | null = null;

  constructor(
    readonly config: StrategyRunConfig,
    private readonly options: EngineOptions,
  ) {
    this.instrument = instrumentFromSpec(config.instrument);
    this.costs = executionCosts(config, this.instrument);
    this.emit = options.emit;
    this.point = options.reuseEquityPoints
      ? {
          type: 'equity',
          time: 0,
          cash: 0,
          equity: 0,
          positionValue: 0,
          unrealizedPnl: 0,
          realizedPnl: 0,
          fees: 0,
          marginUsed: 0,
          position: 0,
        }
      : undefined;
    this.ledger = new Ledger(this.instrument, this.costs, toMoney(config.starting_capital, 'starting_capital'), this.emit);
    this.position = this.ledger.position;
    this.account = this.ledger.account;
    this.trips = this.ledger.trips;
    this.risk = new RiskLimits(config.risk, this.instrument.qtyStep);
    this.clock = new InputClock(new SessionClock(options.sessions));
    const exits = config.exits;
    const atrPeriod = [exits.stop_loss, ...exits.take_profit].find((d) => d !== undefined && 'atr' in d);
    this.atr = atrPeriod && 'atr' in atrPeriod ? new Atr(atrPeriod.atr_period) : null;
    const fillModel = config.fill_model;
    this.rng = fillModel.type === 'tick' ? new SeededRandom(fillModel.seed) : null;
    this.desk = new OrderDesk(
      this.instrument,
      this.emit,
      fillModel.type === 'tick' ? { rng: this.rng!, min: fillModel.latency_min_ms, max: fillModel.latency_max_ms } : null,
    );
    this.orders = this.desk.book;
    this.fills = new FillStep(
      this.instrument,
      this.costs,
      config.participation,
      this.rng !== null,
      this.desk,
      this.ledger,
      options.runId,
      this.placeLeg,
    );
    this.intake = new SignalCommandIntake(this.instrument, this.desk, {
      halted: () => this.halted,
      signalContext: () => this.signalContext(),
      place: (spec, time) => this.place(spec, time),
      halt: (breach, time, flatten) => this.halt(breach, time, flatten),
    });
  }

  /** Feeds one input; its outputs go to `emit` before it returns. */
  apply(input: EngineInput): void {
    switch (input.kind) {
      case 'bar':
        return this.onBar(input.bar);
      case 'trade':
        return this.onMarket(input.time, false, input.price, input.price, input.price, input.size);
      case 'quote':
        return this.onMarket(input.time, true, NaN, input.bid, input.ask, Infinity);
      case 'signal':
        this.advance(input.time, `signal ${input.key}`);
        return this.intake.onSignal(input.key, input.type, input.time);
      case 'command':
        this.advance(input.time, `command ${input.command.type}`);
        return this.intake.onCommand(input.time, input.command);
    }
  }

  /** Equity marked to the latest trade or closed bar (tick model: each trade marks), null before the first:
   * a paper run's live mark between the equity points it stores on closed bars. */
  markedEquity(): Money | null {
    return Number.isNaN(this.markTicks) ? null : this.account.equity(this.position, this.markTicks);
  }

  /** Working orders as records (for a position/orders view). */
  workingOrders(): OrderRecord[] {
    return this.orders.active.map((o) => this.desk.record(o));
  }

  private onBar(bar: OhlcBar): void {
    const t = bar.time;
    if (this.clock.bar(bar)) this.startSession(t);
    this.barIndex++;
    this.markTicks = this.fills.onBar(bar, this.barIndex);
    this.atr?.update(bar);
    this.checkTimeStop(t);
    this.markEquity(t);
  }

  private onMarket(time: number, isQuote: boolean, price: number, bid: number, ask: number, size: number): void {
    if (this.rng === null) return; // the bar model fills on bars only, so feeding ticks cannot change its results
    if (this.clock.market(time, isQuote, price, bid, ask, size)) this.startSession(time);
    const priceTicks = this.fills.onMarket(time, isQuote, price, bid, ask, size, this.barIndex);
    if (!isQuote) {
      this.markTicks = priceTicks;
      this.checkMarkRisk(time);
    }
  }

  /** Moves the clock for a signal or command. */
  private advance(time: number, what: string): void {
    if (this.clock.advance(time, what)) this.startSession(time);
  }

  /** A later session: the daily loss counts from the equity now, and day orders of earlier sessions expire. */
  private startSession(time: number): void {
    const session = this.clock.session;
    this.account.sessionStart = Number.isNaN(this.markTicks) ? this.account.cash : this.account.equity(this.position, this.markTicks);
    for (const order of this.orders.active.slice()) {
      if (order.tif === 'day' && order.session < session) this.desk.cancel(order, 'day_expired', time);
    }
  }

  /** After N closed bars in a round trip, one market exit (placed once per trip, even if refused or cut). */
  private checkTimeStop(time: number): void {
    const n = this.config.exits.time_stop_bars;
    const trip = this.trips.current;
    if (n === undefined || trip === null || trip.timeStopPlaced || this.halted || this.barIndex - trip.entryBar < n) return;
    trip.timeStopPlaced = true;
    const net = this.position.netSteps;
    this.place(
      {
        // Round trips are numbered from the inputs alone, so a replay gives the same id.
        clientOrderId: `${this.options.runId}:trip${trip.number}:time_stop`,
        role: 'time_stop',
        side: net > 0 ? 'sell' : 'buy',
        type: 'market',
        steps: Math.abs(net),
        signalKey: trip.signalKey,
      },
      time,
      true,
    );
  }

  private markEquity(time: number): void {
    const point = this.ledger.mark(time, this.markTicks, this.point);
    this.emit(point);
    if (!this.halted) {
      const breach = this.risk.atMark(point.equity, this.account.sessionStart, this.account.peak);
      if (breach) this.halt(breach, time, this.risk.flattenOnHalt);
    }
  }

  private checkMarkRisk(time: number): void {
    if (this.halted) return;
    const equity = this.account.equity(this.position, this.markTicks);
    if (equity > this.account.peak) this.account.peak = equity;
    const breach = this.risk.atMark(equity, this.account.sessionStart, this.account.peak);
    if (breach) this.halt(breach, time, this.risk.flattenOnHalt);
  }

  /** The run's state a signal is sized and priced from. */
  private signalContext(): SignalContext {
    const mark = this.markTicks;
    return {
      config: this.config,
      instrument: this.instrument,
      runId: this.options.runId,
      projectedSteps: this.projectedSteps(),
      markTicks: mark,
      equity: Number.isNaN(mark) ? this.account.cash : this.account.equity(this.position, mark),
      atr: this.atr?.value,
    };
  }

  /** Net position after the market orders already working (a second signal before the next bar sees the first). */
  private projectedSteps(): number {
    let net = this.position.netSteps;
    for (const o of this.orders.active) {
      if (o.type === 'market') net += o.side === 'buy' ? remainingSteps(o) : -remainingSteps(o);
    }
    return net;
  }

  /** Bracket legs skip the pre-trade limits: they only reduce the position. */
  private readonly placeLeg = (spec: NewOrder, time: number): Order | undefined => this.place(spec, time, true);

  /** Places an order unless its client_order_id exists (then returns that one). `exempt`: exits that
   * only reduce the position skip the pre-trade limits, and a halted run still places its flatten. */
  private place(spec: NewOrder, time: number, exempt = false): Order | undefined {
    const existing = this.orders.get(spec.clientOrderId);
    if (existing) return existing;
    const order = this.desk.create(spec, time, this.clock.session, this.fills.inBar);
    // rejectOrder is a method, not a closure made per order: under tsx (npm run backtest) each closure
    // also goes through esbuild's keepNames wrapper, ~3% of a backtest's CPU.
    if (spec.steps <= 0) return this.rejectOrder(order, 'zero_quantity', time);
    if (this.halted && spec.role !== 'flatten') return this.rejectOrder(order, 'halted', time);
    if (!exempt) {
      const signed = spec.side === 'buy' ? spec.steps : -spec.steps;
      const breach = this.risk.beforeOrder(
        this.projectedSteps() - (spec.type === 'market' ? signed : 0) + signed,
        this.orders.active.length - 1,
      );
      if (breach) {
        this.rejectOrder(order, breach.reason, time);
        this.halt(breach, time, this.risk.flattenOnHalt);
        return order;
      }
      if (spec.role === 'entry' && !Number.isNaN(this.markTicks)) {
        const needed = this.account.marginFor(Math.abs(this.projectedSteps()), this.markTicks);
        if (needed > this.account.equity(this.position, this.markTicks)) return this.rejectOrder(order, 'insufficient_margin', time);
      }
    }
    this.desk.work(order, time);
    return order;
  }

  private rejectOrder(order: Order, reason: string, time: number): Order {
    this.desk.reject(order, reason, time);
    return order;
  }

  /** The kill switch: record why, cancel every working order, flatten if asked. Later signals place nothing.
   * A halted run takes one more halt only from the emergency stop (recorded; it flattens what a halt
   * without flatten_on_halt left open). */
  private halt(breach: RiskBreach, time: number, flatten: boolean): void {
    if (this.halted && breach.reason !== 'emergency_stop') return;
    if (!this.halted) this.haltReason = breach.reason;
    this.halted = true;
    this.emit({ type: 'halt', time, reason: breach.reason, detail: breach.detail });
    for (const order of this.orders.active.slice()) if (order.role !== 'flatten') this.desk.cancel(order, 'halted', time);
    const net = this.position.netSteps;
    if (flatten && net !== 0) {
      this.place(
        {
          clientOrderId: `${this.options.runId}:halt:flatten`,
          role: 'flatten',
          side: net > 0 ? 'sell' : 'buy',
          type: 'market',
          steps: Math.abs(net),
        },
        time,
        true,
      );
    }
  }
}
