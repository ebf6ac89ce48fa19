// The fixed stream of a chaos run: a deterministic market (SimulatedMarket) played through the fake
// Binance exchange at N× speed, in the past (so its klines are complete per the real clock), with
// each minute's kline published once the stream has passed it.
import type { ContractSettings, Trade } from '../../core/src/index.ts';
import { SimulatedMarket } from '../../ingester/src/providers/simulated-market.ts';
import type { FakeBinanceServer, FakeKline } from '../fakes/binance-server.ts';

export const CHAOS_SYMBOL = 'CHAOSUSDT';
const MINUTE = 60_000;

export class ChaosMarket {
  readonly market: SimulatedMarket;
  readonly contract: ContractSettings = {
    id: CHAOS_SYMBOL,
    provider: 'binance',
    symbol: CHAOS_SYMBOL,
    name: CHAOS_SYMBOL,
    description: '',
    tick_size: 0.01,
    session_calendar: 'utc',
    start_price: 250,
  };
  private timer: NodeJS.Timeout | undefined;
  private sentUpTo: number;
  private publishedUpTo: number;
  private readonly klines: FakeKline[] = [];
  private readonly ids = new Map<Trade, number>();
  private nextId = 1;
  sent = 0;

  constructor(
    private readonly fake: FakeBinanceServer,
    readonly streamStart: number,
    private readonly speed: number,
    seed: number,
    tradesPerMinute: number,
  ) {
    this.market = new SimulatedMarket(seed, tradesPerMinute);
    this.sentUpTo = streamStart;
    this.publishedUpTo = streamStart - 6 * 60 * MINUTE;
    this.wallStart = Date.now();
    this.publish(streamStart);
  }

  private readonly wallStart: number;

  now(): number {
    return this.streamStart + (Date.now() - this.wallStart) * this.speed;
  }

  start(): void {
    this.timer = setInterval(() => this.step(), 20);
  }

  /** Stops at the next minute boundary: every minute that began is completed and published. */
  async finish(): Promise<number> {
    const end = Math.ceil(this.now() / MINUTE) * MINUTE;
    while (this.now() < end + MINUTE) await new Promise((r) => setTimeout(r, 20));
    if (this.timer) clearInterval(this.timer);
    this.sendUpTo(end);
    this.publish(end);
    return end;
  }

  private step(): void {
    const now = this.now();
    this.sendUpTo(now);
    this.publish(Math.floor(now / MINUTE) * MINUTE);
  }

  private sendUpTo(t: number): void {
    for (const trade of this.market.tradesBetween(this.contract, this.sentUpTo, t)) {
      this.fake.sendTrade({
        symbol: CHAOS_SYMBOL,
        id: this.nextId++,
        price: trade.price.toFixed(2),
        qty: String(trade.volume),
        time: Math.floor(trade.time),
        buyerIsMaker: trade.side === 'sell',
      });
      this.sent++;
    }
    this.sentUpTo = Math.max(this.sentUpTo, t);
  }

  /** History as Binance serves it: klines of complete minutes before `until`. */
  private publish(until: number): void {
    if (until <= this.publishedUpTo) return;
    for (const bar of this.market.minuteBars(this.contract, this.publishedUpTo, until)) {
      this.klines.push({
        openTime: bar.time,
        open: bar.open.toFixed(2),
        high: bar.high.toFixed(2),
        low: bar.low.toFixed(2),
        close: bar.close.toFixed(2),
        volume: String(bar.volume),
        closeTime: bar.time + MINUTE - 1,
      });
    }
    this.publishedUpTo = until;
    this.fake.setKlines(CHAOS_SYMBOL, '1m', this.klines);
  }
}
