// A simulated session as npm start produces it: the configured simulator (seed, rate, market hours) over a
// stretch of stream time, as alert-engine events (1m bars rolled up, plus the analyzer's signals).
import type { EngineEvent } from '../../core/src/alerts/engine-events.ts';
import type { OhlcBar } from '../../core/src/bar.ts';
import type { Settings } from '../../core/src/config/settings-schema.ts';
import { calendarFor } from '../../core/src/config/contracts.ts';
import { SimulatedMarket } from '../../ingester/src/providers/simulated-market.ts';
import { rollUp, seriesEvents } from './alert-history.ts';

const MINUTE_MS = 60_000;
/** Timeframes the shipped rules and the analyzer targets use (all aligned to the epoch for SIM contracts). */
const ROLL_UPS: Readonly<Record<string, number>> = { '5m': 300_000, '15m': 900_000, '1h': 3_600_000 };

/** The 1m bars of each configured simulated contract in [fromMs, toMs), only while its market is open (market_hours: calendar). */
export function simulatedMinuteBars(settings: Settings, fromMs: number, toMs: number): Map<string, OhlcBar[]> {
  const sim = settings.ingester.simulated;
  const contracts = settings.contracts.filter((c) => settings.ingester.contracts.includes(c.id));
  // As the provider does: the configured rate is shared by the configured contracts.
  const market = new SimulatedMarket(sim.seed, (sim.ticks_per_second / Math.max(1, contracts.length)) * 60);
  const out = new Map<string, OhlcBar[]>();
  for (const contract of contracts) {
    const calendar = calendarFor(settings, contract);
    const open = (m: number): boolean => sim.market_hours !== 'calendar' || calendar.isOpen(m);
    out.set(
      contract.id,
      market.minuteBars(contract, fromMs, toMs).filter((bar) => open(Math.floor(bar.time / MINUTE_MS) * MINUTE_MS)),
    );
  }
  return out;
}

/** Every bar (1m and its roll-ups) and analyzer signal of the simulated contracts in [fromMs, toMs). */
export function simulatedSessionEvents(settings: Settings, fromMs: number, toMs: number): EngineEvent[] {
  return [...simulatedMinuteBars(settings, fromMs, toMs)].flatMap(([contract, m1]) =>
    seriesEvents(contract, { '1m': m1, ...Object.fromEntries(Object.entries(ROLL_UPS).map(([tf, ms]) => [tf, rollUp(m1, ms)])) }),
  );
}
