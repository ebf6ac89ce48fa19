// Risk limits: the checks that halt a run — before an order (max position, max open orders) and at
// each mark (max daily loss since the session start, max drawdown from the equity peak).
import type { HaltReason } from './engine-events.ts';
import { type Money, moneyToNumber, toMoney } from './money.ts';
import type { StrategyRunConfig } from './run-config-schema.ts';

export interface RiskBreach {
  readonly reason: HaltReason;
  readonly detail: string;
}

export class RiskLimits {
  private readonly maxPositionSteps: number;
  private readonly maxDailyLoss: Money;
  private readonly maxDrawdown: Money;
  private readonly maxDrawdownPct: number;

  constructor(
    private readonly risk: StrategyRunConfig['risk'],
    qtyStep: number,
  ) {
    this.maxPositionSteps = risk.max_position === undefined ? Infinity : Math.floor(risk.max_position / qtyStep + 1e-9);
    this.maxDailyLoss = risk.max_daily_loss === undefined ? Infinity : toMoney(risk.max_daily_loss, 'risk.max_daily_loss');
    this.maxDrawdown = risk.max_drawdown === undefined ? Infinity : toMoney(risk.max_drawdown, 'risk.max_drawdown');
    this.maxDrawdownPct = risk.max_drawdown_pct ?? Infinity;
  }

  get flattenOnHalt(): boolean {
    return this.risk.flatten_on_halt;
  }

  /** Before placing an order: the position it could lead to and the working orders it would join. */
  beforeOrder(projectedSteps: number, openOrders: number): RiskBreach | null {
    if (Math.abs(projectedSteps) > this.maxPositionSteps) {
      return { reason: 'max_position', detail: `position would be ${Math.abs(projectedSteps)} steps, max ${this.maxPositionSteps}` };
    }
    const max = this.risk.max_open_orders;
    if (max !== undefined && openOrders + 1 > max) {
      return { reason: 'max_open_orders', detail: `${openOrders + 1} working orders, max ${max}` };
    }
    return null;
  }

  /** At a mark: equity against the session's start and the peak. */
  atMark(equity: Money, sessionStart: Money, peak: Money): RiskBreach | null {
    const dailyLoss = sessionStart - equity;
    if (dailyLoss >= this.maxDailyLoss) {
      return { reason: 'max_daily_loss', detail: `lost ${moneyToNumber(dailyLoss)} this session, max ${moneyToNumber(this.maxDailyLoss)}` };
    }
    const drawdown = peak - equity;
    if (drawdown >= this.maxDrawdown || (peak > 0 && (drawdown / peak) * 100 >= this.maxDrawdownPct)) {
      return { reason: 'max_drawdown', detail: `drawdown ${moneyToNumber(drawdown)} from peak ${moneyToNumber(peak)}` };
    }
    return null;
  }
}
