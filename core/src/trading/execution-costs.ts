// Execution costs: the fee of one fill (per contract per side, or bps of notional rounded half up to
// 10⁻⁸) and the slippage in whole ticks a market or stop fill pays.
import { type Instrument, notional } from './instrument.ts';
import { divideRoundHalfUp, type Money, toMoney } from './money.ts';
import { DEFAULT_CRYPTO_FEE_BPS, type StrategyRunConfig } from './run-config-schema.ts';

export interface ExecutionCosts {
  /** Fee in money units of a fill of `steps` at `ticks`. */
  fee(ticks: number, steps: number): Money;
  /** Slippage in whole ticks at price `ticks` (always ≥ 0; applied against the order). */
  slipTicks(ticks: number): number;
}

export function executionCosts(config: StrategyRunConfig, instrument: Instrument): ExecutionCosts {
  const fees = config.fees ?? (instrument.kind === 'crypto' ? { bps: DEFAULT_CRYPTO_FEE_BPS } : { per_contract: 0 });
  let fee: ExecutionCosts['fee'];
  if ('per_contract' in fees) {
    const perStep = toMoney(fees.per_contract, 'fees.per_contract');
    fee = (_ticks, steps) => steps * perStep;
  } else {
    // bps in hundredths: fee = notional × bps/10⁴ = notional × hundredths / 10⁶, rounded half up.
    const hundredths = BigInt(Math.round(fees.bps * 100));
    fee = (ticks, steps) => divideRoundHalfUp(BigInt(notional(instrument, ticks, steps)) * hundredths, 1_000_000n);
  }
  const slippage = config.slippage;
  const slipTicks: ExecutionCosts['slipTicks'] =
    'ticks' in slippage ? () => slippage.ticks : (ticks) => Math.ceil((Math.abs(ticks) * slippage.bps) / 10_000 - 1e-9);
  return { fee, slipTicks };
}
