// The channel registry: every NOTIFY channel's name and payload schema, used by senders and listeners.
import type { z } from 'zod';
import { alertCreatedMessageSchema } from './schemas/alert-message.ts';
import { ohlcMessageSchema } from './schemas/bar-message.ts';
import { barsImportedMessageSchema } from './schemas/import-message.ts';
import { rulesChangedMessageSchema } from './schemas/rules-message.ts';
import { signalMessageSchema } from './schemas/signal-message.ts';
import { signalsStoredMessageSchema } from './schemas/signals-stored-message.ts';
import { signalsWithdrawnMessageSchema } from './schemas/signals-withdrawn-message.ts';
import { smcUpdateMessageSchema } from './schemas/smc-message.ts';
import { tickNotifyPayloadSchema } from './schemas/tick.ts';
import { tradeUpdateMessageSchema } from './schemas/trade-message.ts';
import { watchlistChangedMessageSchema } from './schemas/watchlist-message.ts';

export interface Channel<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly schema: S;
}

function channel<S extends z.ZodType>(name: string, schema: S): Channel<S> {
  return { name, schema };
}

export const channels = {
  ohlcUpdate: channel('ohlc_update', ohlcMessageSchema),
  tickData: channel('tick_data_channel', tickNotifyPayloadSchema),
  signalDetected: channel('signal_detected', signalMessageSchema),
  signalsStored: channel('signals_stored', signalsStoredMessageSchema),
  barsImported: channel('bars_imported', barsImportedMessageSchema),
  smcUpdate: channel('smc_update', smcUpdateMessageSchema),
  alertCreated: channel('alert_created', alertCreatedMessageSchema),
  watchlistChanged: channel('watchlist_changed', watchlistChangedMessageSchema),
  tradeUpdate: channel('trade_update', tradeUpdateMessageSchema),
  rulesChanged: channel('rules_changed', rulesChangedMessageSchema),
  // The analyzer deleted stored signals (signal_withdrawals rows, migration 019): the alerter retracts alerts on them.
  signalsWithdrawn: channel('signals_withdrawn', signalsWithdrawnMessageSchema),
} as const;

export type ChannelKey = keyof typeof channels;
export type ChannelPayload<K extends ChannelKey> = z.infer<(typeof channels)[K]['schema']>;

/** PostgreSQL rejects NOTIFY payloads of 8000 bytes or more. */
export const MAX_NOTIFY_PAYLOAD_BYTES = 7999;

export function channelByName(name: string): ChannelKey | undefined {
  return (Object.keys(channels) as ChannelKey[]).find((k) => channels[k].name === name);
}
