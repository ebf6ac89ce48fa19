// The execution engine of one strategy run: a deterministic state machine fed inputs (closed bars,
// trades, quotes, signals, commands) that emits every order change, fill, position change, round trip,
// equity point and halt as a record. Same config and inputs → same outputs, in a backtest or a paper run.
import type { OhlcBar } from '../bar.ts';
import { Atr } from '../indicators/atr.ts';
import type { Account } from './account.ts';
import { Ledger } from './ledger.ts';
import { type BarTicks, barFillTicks } from './bar-fill-model.ts';
import type { EngineCommand, EngineEvent, EngineInput, ManualOrder, OrderRecord } from './engine-events.ts';
import { type ExecutionCosts, executionCosts } from './execution-costs.ts';
import { type Instrument, instrumentFromSpec, toSteps, toTicks } from './instrument.ts';
import { toMoney } from './money.ts';
import { isActive, type Order, remainingSteps } from './order.ts';
import type { OrderBook } from './order-book.ts';
import { type NewOrder, OrderDesk } from './order-desk.ts';
import { manualOrderSpec } from './manual-order.ts';
import { placeBracketLegs, reconcileBracketLegs } from './bracket-legs.ts';
import type { PositionBook } from './position-book.ts';
import { type RiskBreach, RiskLimits } from './risk-limits.ts';
import type { RoundTripTracker } from './round-trip-tracker.ts';
import type { StrategyRunConfig } from './run-config-schema.ts';
import { SeededRandom } from './seeded-random.ts';
import { type SessionBoundaries, SessionClock } from './session-clock.ts';
import { signalOrders } from './signal-orders.ts';
import { type MarketTicks, tickFillTicks } from './tick-fill-model.ts';
import { TradingError } from './trading-error.ts';

const NO_ORDERS: Order[] = [];

export interface EngineOptions {
  /** Names every order: client_order_id = `<runId>:<signal key>:<leg>`. */
  readonly runId: string;
  /** The contract's sessions (a `SessionCalendar`); day orders expire and the daily loss resets when the
   * session changes. Default: UTC dates. */
  readonly sessions?: SessionBoundaries;
  /** Receives every output record in order. */
  readonly emit: (event: EngineEvent) => void;
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
  private readonly seenSignals = new Set<string>();
  private readonly seenManualIds = new Set<string>();
  private readonly sessions: SessionClock;
  private readonly emit: (event: EngineEvent) => void;
  private readonly atr: Atr | null;
  private readonly rng: SeededRandom | null;
  private readonly tick: MarketTicks = { isQuote: false, price: 0, bid: 0, ask: 0 };
  /** True while a bar's fills are evaluated: orders placed then (bracket legs) are inside the bar. */
  private inBar = false;
  private readonly barTicks: BarTicks = { open: 0, high: 0, low: 0, close: 0 };
  private session = NaN;
  private lastTime = -Infinity;
  private lastBarTime = -Infinity;
  private markTicks = NaN;
  private barIndex = -1;
  halted = false;
  haltReason: RiskBreach['reason'] | null = null;

  constructor(
    readonly config: StrategyRunConfig,
    private readonly options: EngineOptions,
  ) {
    this.instrument = instrumentFromSpec(config.instrument);
    this.costs = executionCosts(config, this.instrument);
    this.emit = options.emit;
    this.ledger = new Ledger(this.instrument, this.costs, toMoney(config.starting_capital, 'starting_capital'), this.emit);
    this.position = this.ledger.position;
    this.account = this.ledger.account;
    this.trips = this.ledger.trips;
    this.risk = new RiskLimits(config.risk, this.instrument.qtyStep);
    this.sessions = new SessionClock(options.sessions);
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
        return this.onSignal(input.key, input.type, input.time);
      case 'command':
        return this.onCommand(input.time, input.command);
    }
  }

  /** Working orders as records (for a position/orders view). */
  workingOrders(): OrderRecord[] {
    return this.orders.active.map((o) => this.desk.record(o));
  }

  /** Moves the clock to `time` (ticks, quotes, signals, commands: never backwards) and starts a new
   * session when its trade date is later. A closed bar is labelled with its bucket's start, so it arrives
   * after the ticks inside it: bars only move the session forward and are ordered among themselves. */
  private advance(time: number, what: string, isBar = false): void {
    if (!Number.isFinite(time)) throw new TradingError('invalid_input', `${what}: time ${time} is not a number`);
    if (!isBar) {
      if (time < this.lastTime)
        throw new TradingError('invalid_input', `${what}: time ${time} is before the previous input (${this.lastTime})`);
      this.lastTime = time;
    }
    const session = this.sessions.sessionOf(time);
    if (session === this.session || session < this.session) return;
    const first = Number.isNaN(this.session);
    this.session = session;
    if (first) return;
    this.account.sessionStart = Number.isNaN(this.markTicks) ? this.account.cash : this.account.equity(this.position, this.markTicks);
    for (const order of this.orders.active.slice()) {
      if (order.tif === 'day' && order.session < session) this.desk.cancel(order, 'day_expired', time);
    }
  }

  private onBar(bar: OhlcBar): void {
    const t = bar.time;
    if (!(t > this.lastBarTime)) throw new TradingError('invalid_input', `bar ${t}: not after the previous bar (${this.lastBarTime})`);
    if (!(bar.low <= Math.min(bar.open, bar.close) && bar.high >= Math.max(bar.open, bar.close)) || !(bar.volume >= 0)) {
      throw new TradingError(
        'invalid_input',
        `bar ${t}: not a bar (open ${bar.open}, high ${bar.high}, low ${bar.low}, close ${bar.close}, volume ${bar.volume})`,
      );
    }
    this.advance(t, `bar ${t}`, true);
    this.lastBarTime = t;
    this.barIndex++;
    const b = this.barTicks;
    const instrument = this.instrument;
    b.open = toTicks(instrument, bar.open);
    b.high = toTicks(instrument, bar.high);
    b.low = toTicks(instrument, bar.low);
    b.close = toTicks(instrument, bar.close);
    if (this.rng === null && this.orders.active.length > 0) this.fillOnBar(t, bar.volume);
    this.markTicks = b.close;
    this.atr?.update(bar);
    this.checkTimeStop(t);
    this.markEquity(t);
  }

  /** Bar model: the orders working at the open first (market, then stops, then limits, each by placement),
   * then the legs the fills place, in place (see bar-fill-model.ts). */
  private fillOnBar(time: number, volume: number): void {
    const cap = this.config.participation;
    let budget = cap ? Math.floor((volume * cap.max_pct_of_volume) / 100 / this.instrument.qtyStep + 1e-9) : Infinity;
    const queue = this.orders.evaluationOrder();
    this.inBar = true;
    for (let i = 0; i < queue.length && budget > 0; i++) {
      const order = queue[i]!;
      if (!isActive(order)) continue;
      const ticks = barFillTicks(order, this.barTicks, this.costs.slipTicks(this.barTicks.open));
      if (Number.isNaN(ticks)) continue;
      const steps = Math.min(this.fillableSteps(order, time), budget);
      if (steps === 0) continue;
      budget -= steps;
      const legs = this.fill(order, ticks, steps, time);
      // Legs of an entry filled at the open (a market order: the bar model fills those only there) see the
      // rest of the bar; of one filled inside it, only the stop (conservative: the adverse extreme may come
      // after the entry, the favourable one is not credited).
      const atOpen = order.type === 'market';
      for (const leg of legs) {
        if (leg.role === 'stop_loss' || atOpen) queue.splice(i + 1, 0, leg);
      }
    }
    this.inBar = false;
    for (const order of this.orders.active) order.placedInBar = false;
  }

  private onMarket(time: number, isQuote: boolean, price: number, bid: number, ask: number, size: number): void {
    if (this.rng === null) return; // the bar model fills on bars only, so feeding ticks cannot change its results
    const what = isQuote ? `quote ${time}` : `trade ${time}`;
    if (!(Number.isFinite(bid) && Number.isFinite(ask) && (isQuote || (size >= 0 && Number.isFinite(price))) && bid <= ask)) {
      throw new TradingError('invalid_input', `${what}: bad price or size`);
    }
    this.advance(time, what);
    const m = this.tick;
    m.isQuote = isQuote;
    m.price = isQuote ? NaN : toTicks(this.instrument, price);
    m.bid = toTicks(this.instrument, bid);
    m.ask = toTicks(this.instrument, ask);
    const cap = this.config.participation;
    let budget = cap && !isQuote ? Math.floor((size * cap.max_pct_of_volume) / 100 / this.instrument.qtyStep + 1e-9) : Infinity;
    for (const order of this.orders.evaluationOrder()) {
      if (budget <= 0) break;
      if (!isActive(order) || order.activeAt > time) continue;
      const ticks = tickFillTicks(order, m, isQuote ? 0 : this.costs.slipTicks(m.price));
      if (Number.isNaN(ticks)) continue;
      const steps = Math.min(this.fillableSteps(order, time), budget);
      if (steps === 0) continue;
      budget -= steps;
      this.fill(order, ticks, steps, time);
    }
    if (!isQuote) {
      this.markTicks = m.price;
      this.checkMarkRisk(time);
    }
  }

  /** Steps `order` may fill now. Exits, legs, time stops and the halt's flatten only reduce the position:
   * one that would open the other side is cut to the position, and cancelled when there is nothing left to close. */
  private fillableSteps(order: Order, time: number): number {
    const remaining = remainingSteps(order);
    if (order.role === 'entry' || order.role === 'manual') return remaining;
    const net = this.position.netSteps;
    const closable = (order.side === 'sell' ? net > 0 : net < 0) ? Math.abs(net) : 0;
    if (closable === 0) this.desk.cancel(order, 'reduce_only', time);
    return Math.min(remaining, closable);
  }

  /** Books a fill; returns the bracket legs it placed. */
  private fill(order: Order, ticks: number, steps: number, time: number): Order[] {
    this.desk.filled(order, steps, time);
    this.ledger.book(order, ticks, steps, time, this.barIndex);
    const legs =
      order.role === 'entry' && order.bracket
        ? placeBracketLegs(this.desk, this.placeLeg, this.options.runId, order, ticks, time)
        : NO_ORDERS;
    reconcileBracketLegs(this.desk, this.position.netSteps, time);
    return legs;
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
    const point = this.ledger.mark(time, this.markTicks);
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

  private onSignal(key: string, type: string, time: number): void {
    this.advance(time, `signal ${key}`);
    // A signal seen before (a restart re-reading detected_signals) places nothing again.
    if (this.seenSignals.has(key)) return;
    this.seenSignals.add(key);
    if (this.halted) return;
    const mark = this.markTicks;
    const context = {
      config: this.config,
      instrument: this.instrument,
      runId: this.options.runId,
      projectedSteps: this.projectedSteps(),
      markTicks: mark,
      equity: Number.isNaN(mark) ? this.account.cash : this.account.equity(this.position, mark),
      atr: this.atr?.value,
    };
    for (const spec of signalOrders(context, key, type)) this.place(spec, time);
  }

  /** Net position after the market orders already working (a second signal before the next bar sees the first). */
  private projectedSteps(): number {
    let net = this.position.netSteps;
    for (const o of this.orders.active) {
      if (o.type === 'market') net += o.side === 'buy' ? remainingSteps(o) : -remainingSteps(o);
    }
    return net;
  }

  private onCommand(time: number, command: EngineCommand): void {
    this.advance(time, `command ${command.type}`);
    switch (command.type) {
      case 'emergency_stop':
        this.halt({ reason: 'emergency_stop', detail: command.reason ?? 'emergency stop' }, time, command.flatten ?? true);
        return;
      case 'submit':
        this.submitManual(command.order, time);
        return;
      // An order that is no longer working (filled, cancelled, never placed) is left alone: its last record
      // is the answer, and a replayed command must not fail where the original succeeded.
      case 'cancel': {
        const order = this.orders.get(command.clientOrderId);
        if (order) this.desk.cancel(order, 'cancelled', time);
        return;
      }
      case 'replace': {
        const order = this.orders.get(command.clientOrderId);
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
    this.place(spec, time);
  }

  /** Bracket legs skip the pre-trade limits: they only reduce the position. */
  private readonly placeLeg = (spec: NewOrder, time: number): Order | undefined => this.place(spec, time, true);

  /** Places an order unless its client_order_id exists (then returns that one). `exempt`: exits that
   * only reduce the position skip the pre-trade limits, and a halted run still places its flatten. */
  private place(spec: NewOrder, time: number, exempt = false): Order | undefined {
    const existing = this.orders.get(spec.clientOrderId);
    if (existing) return existing;
    const order = this.desk.create(spec, time, this.session, this.inBar);
    const reject = (reason: string): Order => {
      this.desk.reject(order, reason, time);
      return order;
    };
    if (spec.steps <= 0) return reject('zero_quantity');
    if (this.halted && spec.role !== 'flatten') return reject('halted');
    if (!exempt) {
      const signed = spec.side === 'buy' ? spec.steps : -spec.steps;
      const breach = this.risk.beforeOrder(
        this.projectedSteps() - (spec.type === 'market' ? signed : 0) + signed,
        this.orders.active.length - 1,
      );
      if (breach) {
        reject(breach.reason);
        this.halt(breach, time, this.risk.flattenOnHalt);
        return order;
      }
      if (spec.role === 'entry' && !Number.isNaN(this.markTicks)) {
        const needed = this.account.marginFor(Math.abs(this.projectedSteps()), this.markTicks);
        if (needed > this.account.equity(this.position, this.markTicks)) return reject('insufficient_margin');
      }
    }
    this.desk.work(order, time);
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
