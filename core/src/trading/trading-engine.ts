// The execution engine of one strategy run: a deterministic state machine fed inputs (closed bars,
// trades, quotes, signals, commands) that emits every order change, fill, position change, round trip,
// equity point and halt as a record. Same config and inputs → same outputs, in a backtest or a paper run.
import type { OhlcBar } from '../bar.ts';
import { Atr } from '../indicators/atr.ts';
import { Account } from './account.ts';
import { type BarTicks, barFillTicks } from './bar-fill-model.ts';
import type { EngineCommand, EngineEvent, EngineInput, ManualOrder, OrderRecord } from './engine-events.ts';
import { type ExecutionCosts, executionCosts } from './execution-costs.ts';
import { distanceTicks, planBracket } from './exit-plan.ts';
import { type Instrument, instrumentFromSpec, stepsToQty, tickPrice, toSteps, toTicks } from './instrument.ts';
import { toMoney } from './money.ts';
import {
  type Bracket,
  isActive,
  type Order,
  type OrderRole,
  type OrderSide,
  type OrderType,
  remainingSteps,
  type TimeInForce,
  transition,
} from './order.ts';
import { OrderBook } from './order-book.ts';
import { PositionBook } from './position-book.ts';
import { entrySteps } from './position-sizing.ts';
import { type RiskBreach, RiskLimits } from './risk-limits.ts';
import { RoundTripTracker } from './round-trip-tracker.ts';
import type { StrategyRunConfig } from './run-config-schema.ts';
import { SeededRandom } from './seeded-random.ts';
import { decideSignal } from './signal-decision.ts';
import { type MarketTicks, tickFillTicks } from './tick-fill-model.ts';
import { TradingError } from './trading-error.ts';

const DAY_MS = 86_400_000;
const NO_ORDERS: Order[] = [];

export interface EngineOptions {
  /** Names every order: client_order_id = `<runId>:<signal key>:<leg>`. */
  readonly runId: string;
  /** The session (trade date) an instant belongs to; day orders expire when it changes. Default: the UTC date. */
  readonly tradeDate?: (ms: number) => number;
  /** Receives every output record in order. */
  readonly emit: (event: EngineEvent) => void;
}

interface NewOrder {
  readonly clientOrderId: string;
  readonly role: OrderRole;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly steps: number;
  readonly limitTicks?: number | null;
  readonly stopTicks?: number | null;
  readonly tif?: TimeInForce;
  readonly signalKey?: string | null;
  readonly bracket?: Bracket | null;
}

export class TradingEngine {
  readonly instrument: Instrument;
  readonly position: PositionBook;
  readonly account: Account;
  private readonly orders = new OrderBook();
  private readonly costs: ExecutionCosts;
  private readonly risk: RiskLimits;
  private readonly trips = new RoundTripTracker();
  private readonly seenSignals = new Set<string>();
  private readonly seenManualIds = new Set<string>();
  private readonly tradeDate: (ms: number) => number;
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
  private seq = 0;
  halted = false;
  haltReason: RiskBreach['reason'] | null = null;

  constructor(
    readonly config: StrategyRunConfig,
    private readonly options: EngineOptions,
  ) {
    this.instrument = instrumentFromSpec(config.instrument);
    this.position = new PositionBook(this.instrument.unitsPerTickStep);
    this.account = new Account(toMoney(config.starting_capital, 'starting_capital'), this.instrument);
    this.costs = executionCosts(config, this.instrument);
    this.risk = new RiskLimits(config.risk, this.instrument.qtyStep);
    this.tradeDate = options.tradeDate ?? ((ms) => Math.floor(ms / DAY_MS) * DAY_MS);
    this.emit = options.emit;
    const exits = config.exits;
    const atrPeriod = [exits.stop_loss, ...exits.take_profit].find((d) => d !== undefined && 'atr' in d);
    this.atr = atrPeriod && 'atr' in atrPeriod ? new Atr(atrPeriod.atr_period) : null;
    this.rng = config.fill_model.type === 'tick' ? new SeededRandom(config.fill_model.seed) : null;
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
    return this.orders.active.map((o) => this.record(o));
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
    const session = this.tradeDate(time);
    if (session === this.session || session < this.session) return;
    const first = Number.isNaN(this.session);
    this.session = session;
    if (first) return;
    this.account.sessionStart = Number.isNaN(this.markTicks) ? this.account.cash : this.account.equity(this.position, this.markTicks);
    for (const order of this.orders.active.slice()) {
      if (order.tif === 'day' && order.session < session) this.cancel(order, 'day_expired', time);
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
      const steps = Math.min(remainingSteps(order), budget);
      budget -= steps;
      const legs = this.fill(order, ticks, steps, time);
      // Legs of an entry filled at the open see the rest of the bar; of one filled inside it, only the stop
      // (conservative: the adverse extreme may come after the entry, the favourable one is not credited).
      for (const leg of legs) {
        if (leg.role === 'stop_loss' || !order.placedInBar) queue.splice(i + 1, 0, leg);
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
      const steps = Math.min(remainingSteps(order), budget);
      budget -= steps;
      this.fill(order, ticks, steps, time);
    }
    if (!isQuote) {
      this.markTicks = m.price;
      this.checkMarkRisk(time);
    }
  }

  /** Books a fill; returns the bracket legs it placed. */
  private fill(order: Order, ticks: number, steps: number, time: number): Order[] {
    const instrument = this.instrument;
    const buy = order.side === 'buy';
    const before = this.position.netSteps;
    const fee = this.costs.fee(ticks, steps);
    const effect = this.position.apply(buy, steps, ticks);
    this.account.applyFill(buy ? steps : -steps, ticks, fee, effect.realized);
    order.filledSteps += steps;
    order.fills++;
    transition(order, order.filledSteps === order.qtySteps ? 'filled' : 'partially_filled');
    if (!isActive(order)) this.orders.remove(order);
    this.emit({ type: 'order', time, order: this.record(order) });
    const price = tickPrice(instrument, ticks);
    this.emit({
      type: 'fill',
      time,
      fillId: `${order.clientOrderId}#${order.fills}`,
      clientOrderId: order.clientOrderId,
      side: order.side,
      qty: stepsToQty(instrument, steps),
      price,
      fee,
      realizedPnl: effect.realized,
    });
    const after = this.position.netSteps;
    this.emit({
      type: 'position',
      time,
      qty: stepsToQty(instrument, after),
      avgPrice: after === 0 ? null : this.position.averageEntryTicks() * instrument.tickSize,
      realizedPnl: this.position.realized,
    });
    const trip = this.trips.onFill(
      before,
      after,
      effect.closedSteps,
      effect.openedSteps,
      ticks,
      effect.realized,
      fee,
      time,
      this.barIndex,
      order.signalKey,
    );
    if (trip) {
      this.emit({
        type: 'trade',
        time,
        side: trip.long ? 'long' : 'short',
        entryTime: trip.entryTime,
        qty: stepsToQty(instrument, trip.openedSteps),
        entryPrice: (trip.openedCost / trip.openedSteps) * instrument.tickSize,
        exitPrice: (trip.closedCost / trip.closedSteps) * instrument.tickSize,
        pnl: trip.realized - trip.fees,
        fees: trip.fees,
        bars: this.barIndex - trip.entryBar,
      });
    }
    const legs = order.role === 'entry' && order.bracket ? this.placeLegs(order, ticks, time) : NO_ORDERS;
    this.reconcileLegs(time);
    return legs;
  }

  /** OCO between the legs and the position: flat cancels them all; a smaller position shrinks the stop
   * and trims take-profits from the farthest; legs on the wrong side (after a reversal) are cancelled. */
  private reconcileLegs(time: number): void {
    const net = this.position.netSteps;
    const closeSide: OrderSide = net > 0 ? 'sell' : 'buy';
    let takeProfitSteps = 0;
    const legs = this.orders.active.filter((o) => o.role === 'stop_loss' || o.role === 'take_profit');
    for (const leg of legs) {
      if (net === 0 || leg.side !== closeSide) {
        this.cancel(leg, 'oco', time);
      } else if (leg.role === 'stop_loss' && remainingSteps(leg) > Math.abs(net)) {
        this.resize(leg, leg.filledSteps + Math.abs(net), time);
      } else if (leg.role === 'take_profit') {
        takeProfitSteps += remainingSteps(leg);
      }
    }
    let excess = takeProfitSteps - Math.abs(net);
    for (let i = legs.length - 1; i >= 0 && excess > 0; i--) {
      const leg = legs[i]!;
      if (leg.role !== 'take_profit' || !isActive(leg)) continue;
      const cut = Math.min(excess, remainingSteps(leg));
      excess -= cut;
      if (cut === remainingSteps(leg)) this.cancel(leg, 'oco', time);
      else this.resize(leg, leg.qtySteps - cut, time);
    }
  }

  /** An entry's stop and take-profit ladder, sized to what it has filled so far (placed or resized). */
  private placeLegs(entry: Order, fillTicks: number, time: number): Order[] {
    const bracket = entry.bracket!;
    const long = entry.side === 'buy';
    const exitSide: OrderSide = long ? 'sell' : 'buy';
    const dir = long ? 1 : -1;
    const placed: Order[] = [];
    const prefix = `${this.options.runId}:${entry.signalKey ?? entry.clientOrderId}`;
    const legs = (entry.legs ??= new Map<string, Order>());
    const leg = (name: string, role: OrderRole, type: OrderType, steps: number, price: number): void => {
      const existing = legs.get(name);
      if (existing) {
        // A later partial fill of the entry grows a working leg; a finished leg stays finished.
        if (isActive(existing) && existing.qtySteps < steps) this.resize(existing, steps, time);
        return;
      }
      const order = this.place(
        {
          clientOrderId: `${prefix}:${name}`,
          role,
          side: exitSide,
          type,
          steps,
          limitTicks: type === 'limit' ? price : null,
          stopTicks: type === 'stop' ? price : null,
          signalKey: entry.signalKey,
        },
        time,
        true,
      );
      if (order) {
        legs.set(name, order);
        if (isActive(order)) placed.push(order);
      }
    };
    const filled = entry.filledSteps;
    // Legs are priced from the first fill of the entry (its later partial fills only add quantity).
    const base = entry.fills === 1 ? fillTicks : (entry.bracketBase ?? fillTicks);
    entry.bracketBase = base;
    if (bracket.stopTicks !== null) leg('sl', 'stop_loss', 'stop', filled, base - dir * bracket.stopTicks);
    const plan = bracket.targets;
    const total = plan.reduce((s, t) => s + t.steps, 0);
    let assigned = 0;
    plan.forEach((target, i) => {
      const share =
        i === plan.length - 1
          ? Math.min(filled, Math.floor((filled * total) / entry.qtySteps)) - assigned
          : Math.floor((filled * target.steps) / entry.qtySteps);
      assigned += share;
      if (share > 0) leg(`tp${i + 1}`, 'take_profit', 'limit', share, base + dir * target.ticks);
    });
    return placed;
  }

  private checkTimeStop(time: number): void {
    const n = this.config.exits.time_stop_bars;
    const trip = this.trips.current;
    if (n === undefined || trip === null || this.position.netSteps === 0 || this.barIndex - trip.entryBar < n) return;
    const id = `${this.options.runId}:${trip.signalKey ?? `t${trip.entryTime}`}:time_stop`;
    if (this.orders.get(id)) return;
    const net = this.position.netSteps;
    this.place(
      {
        clientOrderId: id,
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
    const account = this.account;
    const mark = this.markTicks;
    const positionValue = account.positionValue(this.position, mark);
    const equity = account.cash + positionValue;
    if (equity > account.peak) account.peak = equity;
    const net = this.position.netSteps;
    this.emit({
      type: 'equity',
      time,
      cash: account.cash,
      equity,
      positionValue,
      unrealizedPnl: this.position.unrealized(mark),
      realizedPnl: this.position.realized,
      fees: account.fees,
      marginUsed: account.marginFor(Math.abs(net), mark),
      position: net === 0 ? 0 : stepsToQty(this.instrument, net),
    });
    if (!this.halted) {
      const breach = this.risk.atMark(equity, account.sessionStart, account.peak);
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
    const action = this.config.signals.map[type];
    if (action === undefined || this.halted) return;
    const projected = this.projectedSteps();
    const decision = decideSignal(action, projected, this.config.exits.on_opposite_signal);
    const prefix = `${this.options.runId}:${key}`;
    const tif = this.config.order_tif;
    if (decision.close) {
      this.place(
        {
          clientOrderId: `${prefix}:exit`,
          role: 'exit',
          side: projected > 0 ? 'sell' : 'buy',
          type: 'market',
          steps: Math.abs(projected),
          tif,
          signalKey: key,
        },
        time,
      );
    }
    if (decision.enter !== 0) this.enter(decision.enter, key, time);
  }

  private enter(dir: 1 | -1, key: string, time: number): void {
    const reference = this.markTicks;
    if (Number.isNaN(reference)) return; // no bar yet: nothing to size or price from
    const exits = this.config.exits;
    const atr = this.atr?.value;
    const stop = exits.stop_loss ? distanceTicks(exits.stop_loss, reference, this.instrument.tickSize, atr) : null;
    if (Number.isNaN(stop)) return; // an ATR exit before ATR is ready: no entry
    const equity = this.account.equity(this.position, reference);
    const steps = entrySteps(this.config.sizing, this.instrument, equity, reference, stop);
    const bracket = planBracket(exits, steps, reference, this.instrument.tickSize, atr);
    this.place(
      {
        clientOrderId: `${this.options.runId}:${key}:entry`,
        role: 'entry',
        side: dir > 0 ? 'buy' : 'sell',
        type: 'market',
        steps,
        tif: this.config.order_tif,
        signalKey: key,
        bracket,
      },
      time,
    );
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
        if (order) this.cancel(order, 'cancelled', time);
        return;
      }
      case 'replace': {
        const order = this.orders.get(command.clientOrderId);
        if (!order) return;
        if (command.limitPrice !== undefined) order.limitTicks = toTicks(this.instrument, command.limitPrice);
        if (command.stopPrice !== undefined) order.stopTicks = toTicks(this.instrument, command.stopPrice);
        const steps = command.qty === undefined ? order.qtySteps : toSteps(this.instrument, command.qty);
        if (steps <= order.filledSteps) return this.cancel(order, 'replaced_below_filled', time);
        this.resize(order, steps, time);
        return;
      }
    }
  }

  private submitManual(manual: ManualOrder, time: number): void {
    // A repeated submit (a retried API call) places nothing: manual ids are remembered like signal keys.
    if (this.seenManualIds.has(manual.clientOrderId)) return;
    this.seenManualIds.add(manual.clientOrderId);
    const { type } = manual;
    const needsLimit = type === 'limit' || type === 'stop_limit';
    const needsStop = type === 'stop' || type === 'stop_limit';
    if (needsLimit !== (manual.limitPrice !== undefined) || needsStop !== (manual.stopPrice !== undefined)) {
      throw new TradingError(
        'invalid_input',
        `order ${manual.clientOrderId}: a ${type} order takes ${[needsLimit && 'limitPrice', needsStop && 'stopPrice'].filter(Boolean).join(' and ') || 'no price'}`,
      );
    }
    this.place(
      {
        clientOrderId: manual.clientOrderId,
        role: 'manual',
        side: manual.side,
        type,
        steps: toSteps(this.instrument, manual.qty),
        limitTicks: manual.limitPrice === undefined ? null : toTicks(this.instrument, manual.limitPrice),
        stopTicks: manual.stopPrice === undefined ? null : toTicks(this.instrument, manual.stopPrice),
        tif: manual.tif ?? 'gtc',
      },
      time,
    );
  }

  /** Places an order unless its client_order_id exists (then returns that one). `exempt`: exits that
   * only reduce the position skip the pre-trade limits, and a halted run still places its flatten. */
  private place(spec: NewOrder, time: number, exempt = false): Order | undefined {
    const existing = this.orders.get(spec.clientOrderId);
    if (existing) return existing;
    const latency =
      this.rng && this.config.fill_model.type === 'tick'
        ? this.rng.integer(this.config.fill_model.latency_min_ms, this.config.fill_model.latency_max_ms)
        : 0;
    const order: Order = {
      clientOrderId: spec.clientOrderId,
      seq: this.seq++,
      role: spec.role,
      side: spec.side,
      type: spec.type,
      tif: spec.tif ?? 'gtc',
      signalKey: spec.signalKey ?? null,
      session: this.session,
      createdAt: time,
      activeAt: time + latency,
      qtySteps: spec.steps,
      filledSteps: 0,
      limitTicks: spec.limitTicks ?? null,
      stopTicks: spec.stopTicks ?? null,
      status: 'new',
      reason: null,
      triggered: false,
      seenMarket: false,
      revision: 0,
      placedInBar: this.inBar,
      bracket: spec.bracket ?? null,
      fills: 0,
      bracketBase: null,
      legs: null,
    };
    this.orders.add(order);
    this.emit({ type: 'order', time, order: this.record(order) });
    const reject = (reason: string): Order => {
      transition(order, 'rejected', reason);
      this.orders.remove(order);
      this.emit({ type: 'order', time, order: this.record(order) });
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
    transition(order, 'working');
    this.emit({ type: 'order', time, order: this.record(order) });
    return order;
  }

  private cancel(order: Order, reason: string, time: number): void {
    transition(order, 'cancelled', reason);
    this.orders.remove(order);
    this.emit({ type: 'order', time, order: this.record(order) });
  }

  private resize(order: Order, steps: number, time: number): void {
    order.qtySteps = steps;
    order.revision++;
    this.emit({ type: 'order', time, order: this.record(order) });
  }

  /** The kill switch: record why, cancel every working order, flatten if asked. Later signals place nothing. */
  private halt(breach: RiskBreach, time: number, flatten: boolean): void {
    if (this.halted) return;
    this.halted = true;
    this.haltReason = breach.reason;
    this.emit({ type: 'halt', time, reason: breach.reason, detail: breach.detail });
    for (const order of this.orders.active.slice()) this.cancel(order, 'halted', time);
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

  private record(order: Order): OrderRecord {
    const instrument = this.instrument;
    return {
      clientOrderId: order.clientOrderId,
      role: order.role,
      side: order.side,
      orderType: order.type,
      tif: order.tif,
      qty: stepsToQty(instrument, order.qtySteps),
      filledQty: stepsToQty(instrument, order.filledSteps),
      limitPrice: order.limitTicks === null ? null : tickPrice(instrument, order.limitTicks),
      stopPrice: order.stopTicks === null ? null : tickPrice(instrument, order.stopTicks),
      status: order.status,
      reason: order.reason,
      revision: order.revision,
      signalKey: order.signalKey,
    };
  }
}
