// The input clock: checks each input's time (and a bar's or tick's shape) before the engine acts on it,
// and tells the engine when a later session starts.
import type { OhlcBar } from '../bar.ts';
import type { SessionClock } from './session-clock.ts';
import { TradingError } from './trading-error.ts';

export class InputClock {
  /** The current session's number (see session-clock.ts); NaN before the first input. */
  session = NaN;
  private lastTime = -Infinity;
  private lastBarTime = -Infinity;

  constructor(private readonly sessions: SessionClock) {}

  /** Checks closed `bar` (after the previous bar, a real OHLC range); true when it starts a later session. */
  bar(bar: OhlcBar): boolean {
    const t = bar.time;
    if (!(t > this.lastBarTime)) throw new TradingError('invalid_input', `bar ${t}: not after the previous bar (${this.lastBarTime})`);
    if (!(bar.low <= Math.min(bar.open, bar.close) && bar.high >= Math.max(bar.open, bar.close)) || !(bar.volume >= 0)) {
      throw new TradingError(
        'invalid_input',
        `bar ${t}: not a bar (open ${bar.open}, high ${bar.high}, low ${bar.low}, close ${bar.close}, volume ${bar.volume})`,
      );
    }
    const later = this.enter(t, 'bar', null, true);
    this.lastBarTime = t;
    return later;
  }

  /** Checks a trade or quote's prices and size; true when it starts a later session. */
  market(time: number, isQuote: boolean, price: number, bid: number, ask: number, size: number): boolean {
    if (!(Number.isFinite(bid) && Number.isFinite(ask) && (isQuote || (size >= 0 && Number.isFinite(price))) && bid <= ask)) {
      throw new TradingError('invalid_input', `${isQuote ? 'quote' : 'trade'} ${time}: bad price or size`);
    }
    return this.enter(time, isQuote ? 'quote' : 'trade', null, false);
  }

  /** Moves the clock to a signal's or command's `time` (`what` names it in errors); true when it starts a
   * later session. */
  advance(time: number, what: string): boolean {
    return this.enter(time, '', what, false);
  }

  /** Moves the clock to `time` (ticks, quotes, signals, commands: never backwards); true when its trade date
   * starts a later session than the current one (the first session is no change). A closed bar is labelled
   * with its bucket's start, so it arrives after the ticks inside it: bars only move the session forward and
   * are ordered among themselves. The input is named `what`, or when null `<kind> <time>`, built only for an
   * error (bars and ticks are the hot path). */
  private enter(time: number, kind: string, what: string | null, isBar: boolean): boolean {
    if (!Number.isFinite(time)) throw new TradingError('invalid_input', `${what ?? `${kind} ${time}`}: time ${time} is not a number`);
    if (!isBar) {
      if (time < this.lastTime)
        throw new TradingError(
          'invalid_input',
          `${what ?? `${kind} ${time}`}: time ${time} is before the previous input (${this.lastTime})`,
        );
      this.lastTime = time;
    }
    const session = this.sessions.sessionOf(time);
    if (session === this.session || session < this.session) return false;
    const first = Number.isNaN(this.session);
    this.session = session;
    return !first;
  }
}
