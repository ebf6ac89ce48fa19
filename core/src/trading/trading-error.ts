// The trading engine's error: bad run config, a command naming an unknown order, money out of range.
import { BarstreamError } from '../errors.ts';

export class TradingError extends BarstreamError {}
