// The broadcaster's WebSocket protocol, both directions (documented in docs/WEBSOCKET.md).
import { z } from 'zod';

export const streamChannelSchema = z.enum(['bars', 'ticks', 'signals']);
export type StreamChannel = z.infer<typeof streamChannelSchema>;

const subscription = {
  channel: streamChannelSchema,
  contract_id: z.string().min(1).max(100),
  timeframe: z.string().regex(/^\d{1,4}(s|m|h|d|w|mo|M)$/, 'a timeframe like 1m, 5m, 1h, 1d').optional(),
};

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('subscribe'), ...subscription }),
  z.strictObject({ type: z.literal('unsubscribe'), ...subscription }),
  z.strictObject({ type: z.literal('ping'), id: z.union([z.string().max(100), z.number()]).optional() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const resyncMessageSchema = z.object({
  type: z.literal('resync'),
  /** ISO time from which the client should refetch /api/ohlc. */
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  reason: z.string(),
});
export type ResyncMessage = z.infer<typeof resyncMessageSchema>;

export const errorMessageSchema = z.object({ type: z.literal('error'), message: z.string() });
export const pongMessageSchema = z.object({ type: z.literal('pong'), id: z.union([z.string(), z.number()]).optional() });
export const subscribedMessageSchema = z.object({
  type: z.enum(['subscribed', 'unsubscribed']), channel: streamChannelSchema, contract_id: z.string(), timeframe: z.string().optional(),
});
