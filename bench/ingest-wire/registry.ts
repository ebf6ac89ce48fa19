// BENCH_PROVIDER → the venue's wire format; `simulated` (the default) feeds parsed trades as binary frames.
// Add a venue: one file beside this one exporting a WireFormatFactory, and a line here.
import { alpacaSingleWire, alpacaWire } from './alpaca.ts';
import { binanceWire } from './binance.ts';
import { coinbaseWire } from './coinbase.ts';
import type { WireFormatFactory } from './wire-format.ts';

export const WIRE_FORMATS: Readonly<Record<string, WireFormatFactory>> = {
  alpaca: alpacaWire,
  'alpaca-single': alpacaSingleWire,
  binance: binanceWire,
  coinbase: coinbaseWire,
};

export const BENCH_PROVIDERS = ['simulated', ...Object.keys(WIRE_FORMATS)] as const;

/** The wire format of BENCH_PROVIDER, undefined for simulated; throws naming the value when unknown. */
export function wireFormatOf(provider: string): WireFormatFactory | undefined {
  if (provider === 'simulated') return undefined;
  const found = WIRE_FORMATS[provider];
  if (!found) throw new Error(`BENCH_PROVIDER: '${provider}' is not one of ${BENCH_PROVIDERS.join(', ')}`);
  return found;
}
