// The broadcaster's WebSocket protocol, both directions (documented in docs/WEBSOCKET.md).
import { z } from 'zod';
import { parseTimeframe } from '../timeframe.ts';

/** `smc`: smc_update summaries of the SMC study rows (refetch /api/smc/* for the range).
 * `alerts`: alert_created; `trades`: trade_update of strategy runs. Subscribing with contract_id `*`
 * means every contract (used by the alert toasts on every page). */
export const streamChannelSchema = z.enum(['bars', 'ticks', 'signals', 'smc', 'alerts', 'trades']);
export type StreamChannel = z.infer<typeof streamChannelSchema>;

/** A bar timeframe as clients write it (`1m`, `4h`, `1d`, `1mo`), checked here so that a value the
 * regex lets through but the domain refuses (`0m`) is a protocol error, never an exception later. */
const timeframeText = z
  .string()
  .max(8)
  .superRefine((text, ctx) => {
    try {
      parseTimeframe(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'a timeframe like 1m, 5m, 1h, 1d, 1w, 1mo' });
    }
  });

const subscription = {
  channel: streamChannelSchema,
  contract_id: z.string().min(1).max(100),
  /** Bars only: narrows the subscription to one timeframe (absent: every timeframe). */
  timeframe: timeframeText.optional(),
};

const subscriptionMessage = <T extends 'subscribe' | 'unsubscribe'>(type: T) =>
  z.strictObject({ type: z.literal(type), ...subscription }).refine((m) => m.timeframe === undefined || m.channel === 'bars', {
    message: 'timeframe applies to the bars channel only',
    path: ['timeframe'],
  });

export const clientMessageSchema = z.discriminatedUnion('type', [
  subscriptionMessage('subscribe'),
  subscriptionMessage('unsubscribe'),
  z.strictObject({ type: z.literal('ping'), id: z.union([z.string().max(100), z.number()]).optional() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

// Server → client. Stream messages (`ohlc`, `ticks`, `signal`) are the NOTIFY payloads relayed as
// received (schemas in bar-message.ts, tick.ts, signal-message.ts); the control messages follow.

export const resyncMessageSchema = z.strictObject({
  type: z.literal('resync'),
  /** ISO time from which the client should refetch /api/ohlc. */
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  reason: z.string(),
});
export type ResyncMessage = z.infer<typeof resyncMessageSchema>;

/** Why a client frame was refused; stable for clients to branch on (the message is for people). */
export const protocolErrorCodeSchema = z.enum(['rate_limited', 'binary', 'too_large', 'not_json', 'invalid', 'subscription_limit']);
export type ProtocolErrorCode = z.infer<typeof protocolErrorCodeSchema>;

export const errorMessageSchema = z.strictObject({ type: z.literal('error'), code: protocolErrorCodeSchema, message: z.string().max(500) });
export const pongMessageSchema = z.strictObject({ type: z.literal('pong'), id: z.union([z.string(), z.number()]).optional() });
export const subscribedMessageSchema = z.strictObject({
  type: z.enum(['subscribed', 'unsubscribed']),
  channel: streamChannelSchema,
  contract_id: z.string(),
  timeframe: z.string().optional(),
});

export const serverControlMessageSchema = z.discriminatedUnion('type', [
  resyncMessageSchema,
  errorMessageSchema,
  pongMessageSchema,
  subscribedMessageSchema,
]);
export type ServerControlMessage = z.infer<typeof serverControlMessageSchema>;

/** WebSocket close codes the broadcaster uses (1000–1015 per RFC 6455 and the IANA registry). */
export const WS_CLOSE = {
  /** The server is shutting down. */
  goingAway: 1001,
  /** Too many refused frames. */
  policyViolation: 1008,
  /** A frame above the hard size limit (closed by `ws` before it is buffered). */
  messageTooBig: 1009,
  /** The client read too slowly and its backlog passed the limit: reconnect and refetch. */
  tryAgainLater: 1013,
} as const;
